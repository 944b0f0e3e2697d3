-- PolicyStateStore.ApproveAsync. ARGV: prefix, now, id, fingerprint, ttl (µs). Answers 1 when approved.
local P, now, id, fp, ttl = ARGV[1], clock(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local p = redis.call('HMGET', P .. ':p:' .. id, 'fp', 'exp', 'max')
if p[1] ~= fp or not p[2] or tonumber(p[2]) <= now then return 0 end
local cap = tonumber(p[3])
local index = P .. ':gi'
if redis.call('ZCARD', index) >= cap then
  for _, expired in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', int(now))) do drop_grant(P, expired) end
end
if redis.call('ZCARD', index) >= cap then return 0 end -- no room: it stays pending rather than being lost
drop_pending(P, id)
local key = P .. ':g:' .. id
redis.call('HSET', key, 'fp', fp, 'exp', int(now + ttl))
redis.call('ZADD', index, int(now + ttl), id)
keep(key, ttl)
keep(index, ttl)
return 1
