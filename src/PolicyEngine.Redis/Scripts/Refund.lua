-- PolicyStateStore.RefundAsync: removes each spend from the first entry at or after the time it was recorded at,
-- unless that part of the window was pruned (or the counter is of a later life than the spend): then it has left the
-- window. KEYS: per counter its state and its list. ARGV: n, then per counter the recorded time (µs) and the amount.
-- The newest entry started at `start`, after every listed entry's time, so a spend recorded at or after it is there.
local function min(a, b)
  if cmp(a, b) <= 0 then return a end
  return b
end

local n = tonumber(ARGV[1])
for i = 1, n do
  local at = tonumber(ARGV[2 * i])
  local give = dec(ARGV[2 * i + 1])
  local c = load(KEYS[2 * i - 1], KEYS[2 * i])
  if c.exists and at > c.pruned and at >= c.born then
    local found = false
    if c.start == NONE or at < c.start then
      local from = 0
      while from < c.count and not found do
        for j, e in ipairs(redis.call('LRANGE', c.ekey, from, from + CHUNK - 1)) do
          local t, a = list().entry(e)
          if t >= at then
            local amount = dec(a)
            local take = min(give, amount)
            redis.call('LSET', c.ekey, from + j - 1, string.format('%d %s', t, fmt(sub(amount, take))))
            c.total = sub(c.total, take)
            found = true
            break
          end
        end
        from = from + CHUNK
      end
    end
    if not found and c.start ~= NONE then
      local take = min(give, c.newest)
      c.newest = sub(c.newest, take)
      c.total = sub(c.total, take)
      found = true
    end
    if found then store(c, nil) end -- a refund only lowers amounts: the TTL already covers every entry
  end
end
return 1
