-- PolicyStateStore.AcquireAsync: checks every limit of one call, then spends on all of them (and takes the call's
-- grant) or on none, atomically. KEYS: the counters, in charge order, then the approval keys the call may touch.
-- Answers {0, recorded time per charge...} (acquired), {1, first limit lacking room (0-based), longest wait µs or -1}
-- (limited) or {2} (grant missing, request recorded).
local P = ARGV[1]
local now = clock(ARGV[2])
local n = tonumber(ARGV[3])
local fp = ARGV[4]
local grant = ARGV[5]
local id = ARGV[6]

if grant ~= '' and not grant_live(P, id, fp, now) then
  if ARGV[7] == '1' then
    record_pending(P, {
      id = id, fp = fp, ttl = tonumber(ARGV[8]), max = tonumber(ARGV[9]), per = tonumber(ARGV[10]), sess = ARGV[11],
      tool = ARGV[12], sp = ARGV[13], args = ARGV[14], rule = ARGV[15], msg = ARGV[16], req = ARGV[17], trunc = ARGV[18],
    }, now)
  end
  return { 2 }
end
if grant == 'keep' then
  return { 0 } -- the call is denied even with its grant: the grant stays
end

local counters, charges = {}, {}
local first, longest = -1, 0
for i = 1, n do
  local at = 18 + (i - 1) * 5
  local charge = {
    window = tonumber(ARGV[at + 1]), calendar = ARGV[at + 2] == '1', max = dec(ARGV[at + 3]), cost = dec(ARGV[at + 4]),
    fold = tonumber(ARGV[at + 5]),
  }
  charges[i] = charge
  local c = load(KEYS[i])
  counters[i] = c
  local ok, wait = fits(c, now, charge.cost, charge.max, charge.window, charge.calendar)
  if not ok then
    if first < 0 then first = i - 1 end
    if wait < 0 or longest < 0 then longest = -1 elseif wait > longest then longest = wait end
  end
end

local times = { 0 }
if first < 0 then
  for i = 1, n do
    local charge = charges[i]
    times[i + 1] = spend(counters[i], now, charge.cost, charge.fold, charge.window, charge.calendar)
  end
  if grant == 'take' then drop_grant(P, id) end
end
for i = 1, n do
  save(counters[i], charges[i].window)
end
if first >= 0 then return { 1, first, longest } end
return times
