-- Limit counters (spec §4), the same ring as the in-memory RingCounter: a list whose head is the counter's state,
-- "born last pruned start total", followed by its entries "time amount", oldest first. born: when this key's life
-- began (a refund of a spend from before, in an earlier life, gives nothing back); last: the newest spend's time (the
-- counter's clock never goes back before it); pruned: the newest time pruned; start: when the newest entry's first
-- spend was (folding is measured from it); total: the sum of the entries.
local MAX_ENTRIES = 1024
local CHUNK = 128

local function entry(e)
  local t, a = string.match(e, '^(%S+) (%S+)$')
  return tonumber(t), a
end

-- Loads a counter for checking and spending: its state is taken off the list (put back by save), so that the
-- entries are the whole list.
local function load(key)
  local c = { key = key, total = ZERO, count = 0, exists = false, born = NONE, last = NONE, pruned = NONE, start = NONE }
  local state = redis.call('LPOP', key)
  if state then
    local born, last, pruned, start, total = string.match(state, '^(%S+) (%S+) (%S+) (%S+) (%S+)$')
    c.exists = true
    c.born, c.last, c.pruned, c.start, c.total = tonumber(born), tonumber(last), tonumber(pruned), tonumber(start), dec(total)
    c.count = redis.call('LLEN', key)
  end
  return c
end

-- Puts the state back (the key is new when the counter spent for the first time) and refreshes its TTL.
local function save(c, window)
  if not c.exists then return end
  redis.call('LPUSH', c.key, int(c.born) .. ' ' .. int(c.last) .. ' ' .. int(c.pruned) .. ' ' .. int(c.start) .. ' ' .. fmt(c.total))
  redis.call('PEXPIRE', c.key, ms(window + MARGIN))
end

-- Never earlier than the newest spend: a clock that steps back cannot move spends out of the window.
local function clamp(c, now)
  if c.exists and now < c.last then return c.last end
  return now
end

-- Drops the spends that left the window: an entry at t is in a sliding window at now iff t + window > now, and in a
-- calendar one iff t is at or after the start of now's unit.
local function prune(c, now, window, calendar)
  local horizon
  if calendar then horizon = now - mod(now, window) - 1 else horizon = now - window end
  while c.count > 0 do
    local t, a = entry(redis.call('LINDEX', c.key, 0))
    if t > horizon then break end
    redis.call('LPOP', c.key)
    c.pruned = t
    c.total = sub(c.total, dec(a))
    c.count = c.count - 1
  end
  if c.count == 0 then c.total = ZERO end
end

-- How long until cost fits (µs), given it does not now: the entry whose leaving frees enough room, plus the window;
-- -1 when it never can (above max).
local function wait_for(c, now, cost, max, window, calendar)
  if cmp(cost, max) > 0 then return -1 end
  if calendar then return window - mod(now, window) end -- the whole unit empties at its end
  local excess = sub(add(c.total, cost), max)
  local freed = ZERO
  local from = 0
  while from < c.count do
    for _, e in ipairs(redis.call('LRANGE', c.key, from, from + CHUNK - 1)) do
      local t, a = entry(e)
      freed = add(freed, dec(a))
      if cmp(freed, excess) >= 0 then return t + window - now end
    end
    from = from + CHUNK
  end
  return 0
end

-- Whether cost fits at now (after pruning); when it does not, the wait (µs, or -1 for never).
local function fits(c, now, cost, max, window, calendar)
  now = clamp(c, now)
  prune(c, now, window, calendar)
  if cmp(add(c.total, cost), max) <= 0 then return true, 0 end
  return false, wait_for(c, now, cost, max, window, calendar)
end

-- Spends cost; returns the time the spend is recorded at. Folds into the newest entry within one fold of its first
-- spend (or in the same calendar unit), the entry taking the later time; past MAX_ENTRIES the two oldest merge.
local function spend(c, now, cost, fold, window, calendar)
  if cmp(cost, ZERO) == 0 then return now end
  if not c.exists then
    c.exists = true
    c.born = now
  end
  now = clamp(c, now)
  c.last = now
  c.total = add(c.total, cost)
  if c.count > 0 then
    local t, a = entry(redis.call('LINDEX', c.key, -1))
    local same
    if calendar then same = now - mod(now, window) == t - mod(t, window)
    else same = now - c.start <= fold end
    if same then
      redis.call('LSET', c.key, -1, int(now) .. ' ' .. fmt(add(dec(a), cost)))
      return now
    end
  end
  if c.count >= MAX_ENTRIES then
    local _, oldest = entry(redis.call('LPOP', c.key))
    local t, a = entry(redis.call('LINDEX', c.key, 0))
    redis.call('LSET', c.key, 0, int(t) .. ' ' .. fmt(add(dec(oldest), dec(a))))
    c.count = c.count - 1
  end
  redis.call('RPUSH', c.key, int(now) .. ' ' .. fmt(cost))
  c.start = now
  c.count = c.count + 1
  return now
end
