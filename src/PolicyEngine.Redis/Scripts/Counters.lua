-- Limit counters (docs/policy-language.md#limits), the same ring as the in-memory RingCounter, in two keys of the one
-- hash tag: the state S, a string packed with struct, and the list E of the entries "time amount" before the newest,
-- oldest first. The newest entry lives in the state (start, last, newest), so a spend that folds into it, the common
-- case, costs one GET and one SET; the list changes only when an entry starts, leaves the window or merges.
-- State fields (doubles, exact below 2^53): born: when this counter's life began (a refund of a spend from an earlier
-- life gives nothing back); last: the newest spend's time, which is the newest entry's (the counter's clock never goes
-- back before it); pruned: the newest time pruned; start: when the newest entry's first spend was (folding is measured
-- from it; NONE when the counter holds no entry); count: the entries in E; oldest: the time of E's first entry; exp:
-- until when the last TTL set keeps the keys; total: the sum of every entry; newest: the newest entry's amount.
-- Packed 'n' and nine doubles, or, when an amount is not a whole number below SMALL, 'w', seven doubles and
-- "total newest" as text.
local MAX_ENTRIES = 1024
local CHUNK = 128
local NUMBERS, WIDE_AMOUNTS = 110, 119 -- 'n', 'w'

-- Loads a counter. A key that is not a counter of this layout fails the script, so the call is denied.
local function load(skey, ekey)
  local s = call('GET', skey)
  if not s then
    return { skey = skey, ekey = ekey, exists = false, dirty = false, born = NONE, last = NONE, pruned = NONE,
      start = NONE, count = 0, oldest = NONE, exp = NONE, total = ZERO, newest = ZERO,
      window = 0, calendar = false, max = 0, cost = 0, fold = 0 }
  end
  local tag, born, last, pruned, start, count, oldest, exp, total, newest = byte(s)
  if tag == NUMBERS and #s == 73 then
    tag, born, last, pruned, start, count, oldest, exp, total, newest = unpack('<c1ddddddddd', s)
  elseif tag == WIDE_AMOUNTS and #s > 57 then
    local rest
    tag, born, last, pruned, start, count, oldest, exp, rest = unpack('<c1ddddddd', s)
    total, newest = match(string.sub(s, rest), '^(%S+) (%S+)$')
    total, newest = dec(total), dec(newest)
  else
    error('policyengine: not a counter of this version: ' .. skey)
  end
  -- One constructor, with room for the charge (acquire): a table grown field by field rehashes several times.
  return { skey = skey, ekey = ekey, exists = true, dirty = false, born = born, last = last, pruned = pruned,
    start = start, count = count, oldest = oldest, exp = exp, total = total, newest = newest,
    window = 0, calendar = false, max = 0, cost = 0, fold = 0 }
end

-- Writes the state; `ttl` (ms) sets the keys' TTL, nil keeps it.
local function store(c, ttl)
  local s
  if type(c.total) == 'number' and type(c.newest) == 'number' then
    s = pack('<c1ddddddddd', 'n', c.born, c.last, c.pruned, c.start, c.count, c.oldest, c.exp, c.total, c.newest)
  else
    s = pack('<c1ddddddd', 'w', c.born, c.last, c.pruned, c.start, c.count, c.oldest, c.exp)
      .. fmt(c.total) .. ' ' .. fmt(c.newest)
  end
  if ttl then
    call('SET', c.skey, s, 'PX', ttl)
    if c.count > 0 then call('PEXPIRE', c.ekey, ttl) end
  else
    call('SET', c.skey, s, 'KEEPTTL')
  end
end

-- Writes the state back when the call changed it. The keys must outlast the newest spend by the window plus half the
-- margin; their TTL is set to the window plus the margin from now only when they would not, so about once per half
-- margin rather than on every call.
local function save(c, now, window)
  if not c.dirty then return end
  if c.exp < c.last + window + MARGIN / 2 then
    c.exp = now + window + MARGIN
    store(c, ms(window + MARGIN))
  else
    store(c, nil)
  end
end

-- Never earlier than the newest spend: a clock that steps back cannot move spends out of the window.
local function clamp(c, now)
  if c.exists and now < c.last then return c.last end
  return now
end

-- The list's side of a counter, built on its first use in a call: most calls fold into the newest entry and never
-- touch the list (a script defines its functions again on every run).
local LIST
local function list()
  if LIST then return LIST end
  local l = {}

  local function entry(e)
    local t, a = match(e, '^(%S+) (%S+)$')
    return tonumber(t), a
  end
  l.entry = entry

  -- Drops the listed entries at or before horizon.
  function l.prune(c, horizon)
    local dropped, from, kept = 0, 0, nil
    while not kept do
      local slice = call('LRANGE', c.ekey, from, from + CHUNK - 1)
      for _, e in ipairs(slice) do
        local t, a = entry(e)
        if t > horizon then kept = t; break end
        c.pruned = t
        c.total = sub(c.total, dec(a))
        dropped = dropped + 1
      end
      if #slice < CHUNK then break end
      from = from + CHUNK
    end
    call('LTRIM', c.ekey, dropped, -1) -- deletes the list when nothing is left
    c.count = c.count - dropped
    c.oldest = kept or NONE
  end

  -- How long until cost fits (µs), given it does not now: the entry whose leaving frees enough room, plus the window;
  -- -1 when it never can (above max).
  function l.wait(c, now, cost, max, window, calendar)
    if cmp(cost, max) > 0 then return -1 end
    if calendar then return window - mod(now, window) end -- the whole unit empties at its end
    local excess = sub(add(c.total, cost), max)
    local freed = ZERO
    local from = 0
    while from < c.count do
      for _, e in ipairs(call('LRANGE', c.ekey, from, from + CHUNK - 1)) do
        local t, a = entry(e)
        freed = add(freed, dec(a))
        if cmp(freed, excess) >= 0 then return t + window - now end
      end
      from = from + CHUNK
    end
    if c.start ~= NONE and cmp(add(freed, c.newest), excess) >= 0 then return c.last + window - now end
    return 0
  end

  -- The newest entry is complete: it joins the list. The entries never number more than MAX_ENTRIES: at that many,
  -- the two oldest merge first, at the later time.
  function l.push_newest(c)
    if c.count + 1 >= MAX_ENTRIES then
      local _, a = entry(call('LPOP', c.ekey))
      local t, b = entry(call('LINDEX', c.ekey, 0))
      call('LSET', c.ekey, 0, format('%d %s', t, fmt(add(dec(a), dec(b)))))
      c.count = c.count - 1
      c.oldest = t
    end
    local length = call('RPUSH', c.ekey, format('%d %s', c.last, fmt(c.newest)))
    if length ~= c.count + 1 then
      -- Left from a life whose state expired a moment before its list: not this counter's entries.
      call('LTRIM', c.ekey, -(c.count + 1), -1)
    end
    if c.count == 0 then
      c.oldest = c.last
      c.exp = NONE -- a new list has no TTL: save sets both
    end
    c.count = c.count + 1
  end

  LIST = l
  return l
end

-- Drops the spends that left the window: an entry at t is in a sliding window at now iff t + window > now, and in a
-- calendar one iff t is at or after the start of now's unit.
local function prune(c, now, window, calendar)
  if c.start == NONE then return end
  local horizon
  if calendar then horizon = now - mod(now, window) - 1 else horizon = now - window end
  if c.count > 0 then
    if c.oldest > horizon then return end
    list().prune(c, horizon)
    c.dirty = true
    if c.count > 0 then return end -- the newest entry is later than every kept one
  end
  if c.last <= horizon then
    c.pruned = c.last
    c.start, c.total, c.newest = NONE, ZERO, ZERO
    c.dirty = true
  end
end

-- Whether cost fits at now (after pruning); when it does not, the wait (µs, or -1 for never).
local function fits(c, now, cost, max, window, calendar)
  now = clamp(c, now)
  prune(c, now, window, calendar)
  if cmp(add(c.total, cost), max) <= 0 then return true, 0 end
  return false, list().wait(c, now, cost, max, window, calendar)
end

-- Spends cost; returns the time the spend is recorded at. Folds into the newest entry within one fold of its first
-- spend (or in the same calendar unit), the entry taking the later time; otherwise the newest entry joins the list
-- and the spend starts a new one.
local function spend(c, now, cost, fold, window, calendar)
  if cmp(cost, ZERO) == 0 then return now end
  if not c.exists then
    c.exists = true
    c.born = now
  end
  now = clamp(c, now)
  c.dirty = true
  c.total = add(c.total, cost)
  if c.start ~= NONE then
    local same
    if calendar then same = now - mod(now, window) == c.last - mod(c.last, window)
    else same = now - c.start <= fold end
    if same then
      c.newest = add(c.newest, cost)
      c.last = now
      return now
    end
    list().push_newest(c)
  end
  c.start, c.last, c.newest = now, now, cost
  return now
end

-- A limit's constants, one argument "window calendar max fold" (µs, 0 or 1, an amount, µs), parsed into
-- {window, calendar, max, fold}: the same few texts come call after call, so each is parsed once and kept (as PARSED;
-- the table and a max held as limbs are only ever read). One argument rather than four: each costs Redis and Lua as
-- much to receive as to parse.
local SPECS, SPEC_COUNT = {}, 0

local function spec(s)
  local v = SPECS[s]
  if v then return v end
  local window, calendar, max, fold = match(s, '^(%d+) ([01]) (%S+) (%d+)$')
  if not fold then error('policyengine: not a limit: ' .. tostring(s)) end
  v = { tonumber(window), calendar == '1', dec(max), tonumber(fold) }
  if SPEC_COUNT >= PARSED_MAX then SPECS, SPEC_COUNT = {}, 0 end
  SPECS[s] = v
  SPEC_COUNT = SPEC_COUNT + 1
  return v
end

-- Checks every charge of a call (KEYS from 1: per charge its state and its list; ARGV from `at`: per charge its limit
-- (see spec) and its cost), then spends on all of them or on none. Returns {0, recorded time per charge...} (or 0
-- alone when `want_times` is false: a table answer costs Redis and the client more than the spend's own writes) or
-- {1, first charge lacking room (0-based), longest wait µs or -1}.
local function acquire(now, n, at, want_times)
  local counters = {}
  local first, longest = -1, 0
  for i = 1, n do
    local a = at + (i - 1) * 2
    local c = load(KEYS[2 * i - 1], KEYS[2 * i])
    local limit = spec(ARGV[a])
    c.window, c.calendar, c.max, c.cost, c.fold = limit[1], limit[2], limit[3], dec(ARGV[a + 1]), limit[4]
    counters[i] = c
    local ok, wait = fits(c, now, c.cost, c.max, c.window, c.calendar)
    if not ok then
      if first < 0 then first = i - 1 end
      if wait < 0 or longest < 0 then longest = -1 elseif wait > longest then longest = wait end
    end
  end

  local times = { 0 }
  if first < 0 then
    for i = 1, n do
      local c = counters[i]
      times[i + 1] = spend(c, now, c.cost, c.fold, c.window, c.calendar)
    end
  end
  for i = 1, n do
    save(counters[i], now, counters[i].window)
  end
  if first >= 0 then return { 1, first, longest } end
  if not want_times then return 0 end
  return times
end
