-- PolicyStateStore.ApproveAsync. ARGV: prefix, now, id, fingerprint, ttl (µs). Answers 1 when approved.
local P, now, id, fp, ttl = ARGV[1], clock(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local p = redis.call('HMGET', P .. ':p:' .. id, 'fp', 'exp', 'max')
if p[1] ~= fp or not p[2] or tonumber(p[2]) <= now then return 0 end
local cap = tonumber(p[3])
local index = P .. ':gi'
if redis.call('ZCARD', index) >= cap then
  -- Expired grants go, and so do grants of another policy, which can no longer be spent (in memory a reload drops them).
  for _, expired in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', int(now))) do drop_grant(P, expired) end
  for _, other in ipairs(redis.call('ZRANGE', index, 0, -1)) do
    if redis.call('HGET', P .. ':g:' .. other, 'fp') ~= fp then drop_grant(P, other) end
  end
end
if redis.call('ZCARD', index) >= cap then return 0 end -- no room: it stays pending rather than being lost
drop_pending(P, id)
local key = P .. ':g:' .. id
redis.call('HSET', key, 'fp', fp, 'exp', int(now + ttl))
redis.call('ZADD', index, int(now + ttl), id)
keep(key, ttl)
keep(index, ttl)
return 1
