-- Approvals (docs/policy-language.md#approvals). Keys, all under the prefix's one hash tag (so one cluster slot):
--   P .. ':p:' .. id     pending request (hash): fp, exp, seq, sess, max, tool, sp, args, rule, msg, req, trunc
--   P .. ':ps:' .. sess  one session's requests (zset, score = seq): oldest first, for the per-session cap
--   P .. ':pa'           every request (zset, score = seq): the listing's order and the total cap
--   P .. ':pe'           every request (zset, score = exp): what has expired, at the total cap
--   P .. ':seq'          the sequence that orders requests, even within one microsecond
--   P .. ':g:' .. id     grant (hash): fp, exp
--   P .. ':gi'           every grant (zset, score = exp): the grant cap
-- exp fields are microseconds; a request or grant is live while exp > now. Key TTLs only collect garbage.

local function int(s)
  return string.format('%d', s)
end

-- Sets a key's TTL to cover at least `us` more microseconds (plus the margin); never shortens it.
local function keep(key, us)
  local want = ms(us + MARGIN)
  local left = redis.call('PTTL', key)
  if left < want then redis.call('PEXPIRE', key, want) end
end

local function drop_pending(P, id)
  local key = P .. ':p:' .. id
  local sess = redis.call('HGET', key, 'sess')
  redis.call('DEL', key)
  redis.call('ZREM', P .. ':pa', id)
  redis.call('ZREM', P .. ':pe', id)
  if sess then redis.call('ZREM', P .. ':ps:' .. sess, id) end
end

local function pending_live(P, id, now)
  local exp = redis.call('HGET', P .. ':p:' .. id, 'exp')
  return exp and tonumber(exp) > now
end

-- Live and made under the policy with fingerprint fp. A request of another policy counts for nothing, as in memory,
-- where a reload drops them: it can no longer be approved, and it must not take a place under the caps.
local function pending_current(P, id, now, fp)
  local h = redis.call('HMGET', P .. ':p:' .. id, 'exp', 'fp')
  return h[1] and tonumber(h[1]) > now and h[2] == fp
end

-- At the total cap: drops requests that expired or belong to another policy; the scan runs only at the cap.
local function drop_stale_pending(P, now, fp)
  for _, expired in ipairs(redis.call('ZRANGEBYSCORE', P .. ':pe', '-inf', int(now))) do
    drop_pending(P, expired)
  end
  for _, id in ipairs(redis.call('ZRANGE', P .. ':pa', 0, -1)) do
    if redis.call('HGET', P .. ':p:' .. id, 'fp') ~= fp then drop_pending(P, id) end
  end
end

local function set_optional(key, field, value)
  -- '' is null; anything else carries one leading '=' so that an empty string stays distinct from null.
  if value == '' then redis.call('HDEL', key, field) else redis.call('HSET', key, field, string.sub(value, 2)) end
end

-- Records or refreshes a request, exactly as the in-memory store does (PendingIndex.Record). r: id, fp, sess, ttl (µs),
-- max, per (caps), tool, sp, args, rule, msg, req (ticks), trunc.
local function record_pending(P, r, now)
  local key = P .. ':p:' .. r.id
  local exp = now + r.ttl
  local current = redis.call('HGET', key, 'exp')
  if current then
    if tonumber(current) > now then
      -- Asking again refreshes the request; it keeps its place among the session's requests.
      redis.call('HSET', key, 'exp', int(exp), 'req', r.req)
      set_optional(key, 'rule', r.rule)
      set_optional(key, 'msg', r.msg)
      redis.call('ZADD', P .. ':pe', int(exp), r.id)
      keep(key, r.ttl); keep(P .. ':pe', r.ttl); keep(P .. ':pa', r.ttl); keep(P .. ':ps:' .. r.sess, r.ttl); keep(P .. ':seq', r.ttl)
      return
    end
    drop_pending(P, r.id) -- expired: asking again is a new request
  end

  local session = P .. ':ps:' .. r.sess
  -- At the session's cap, requests approved, denied, expired or of another policy are dropped first.
  if redis.call('ZCARD', session) >= r.per then
    for _, other in ipairs(redis.call('ZRANGE', session, 0, -1)) do
      if not pending_current(P, other, now, r.fp) then
        drop_pending(P, other)
        redis.call('ZREM', session, other)
      end
    end
  end

  -- A session still at its cap makes room itself (its oldest live request goes), so the total does not grow; otherwise
  -- the total must have room once expired requests are dropped. A refused request evicts nothing.
  local full = redis.call('ZCARD', session) >= r.per
  if not full and redis.call('ZCARD', P .. ':pa') >= r.max then
    drop_stale_pending(P, now, r.fp)
  end
  if not full and redis.call('ZCARD', P .. ':pa') >= r.max then
    return -- full with live requests of other sessions: this one gets its id but cannot be approved until room frees
  end
  while redis.call('ZCARD', session) >= r.per do
    local oldest = redis.call('ZRANGE', session, 0, 0)[1]
    drop_pending(P, oldest)
    redis.call('ZREM', session, oldest)
  end

  local seq = redis.call('INCR', P .. ':seq')
  redis.call('HSET', key, 'fp', r.fp, 'exp', int(exp), 'seq', int(seq), 'sess', r.sess, 'max', int(r.max),
    'tool', r.tool, 'sp', r.sp, 'args', r.args, 'req', r.req, 'trunc', r.trunc)
  set_optional(key, 'rule', r.rule)
  set_optional(key, 'msg', r.msg)
  redis.call('ZADD', session, int(seq), r.id)
  redis.call('ZADD', P .. ':pa', int(seq), r.id)
  redis.call('ZADD', P .. ':pe', int(exp), r.id)
  keep(key, r.ttl); keep(session, r.ttl); keep(P .. ':pa', r.ttl); keep(P .. ':pe', r.ttl); keep(P .. ':seq', r.ttl)
end

-- The grant for id, when it is live and was given under the policy with fingerprint fp.
local function grant_live(P, id, fp, now)
  local g = redis.call('HMGET', P .. ':g:' .. id, 'fp', 'exp')
  return g[1] == fp and g[2] and tonumber(g[2]) > now
end

local function drop_grant(P, id)
  redis.call('DEL', P .. ':g:' .. id)
  redis.call('ZREM', P .. ':gi', id)
end
