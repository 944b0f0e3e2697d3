-- PolicyStateStore.RefundAsync: removes each spend from the first entry at or after the time it was recorded at,
-- unless that part of the window was pruned (or the key is of a later life than the spend): then it has left the
-- window. KEYS: the counters. ARGV: n, then per counter the recorded time (µs) and the amount.
local n = tonumber(ARGV[1])
for i = 1, n do
  local key = KEYS[i]
  local at = tonumber(ARGV[2 * i])
  local give = dec(ARGV[2 * i + 1])
  local state = redis.call('LINDEX', key, 0)
  if state then
    local born, last, pruned, start, total = string.match(state, '^(%S+) (%S+) (%S+) (%S+) (%S+)$')
    if at > tonumber(pruned) and at >= tonumber(born) then
      local count = redis.call('LLEN', key) - 1
      local from, done = 1, false
      while from <= count and not done do
        local slice = redis.call('LRANGE', key, from, from + CHUNK - 1)
        for j, e in ipairs(slice) do
          local t, a = entry(e)
          if t >= at then
            local amount = dec(a)
            local take = min(give, amount)
            redis.call('LSET', key, from + j - 1, int(t) .. ' ' .. fmt(sub(amount, take)))
            redis.call('LSET', key, 0, born .. ' ' .. last .. ' ' .. pruned .. ' ' .. start .. ' ' .. fmt(sub(dec(total), take)))
            done = true
            break
          end
        end
        from = from + CHUNK
      end
    end
  end
end
return 1
