-- PolicyStateStore.AcquireAsync for a call that needs its approval's grant: as Acquire, and the grant is taken with
-- the spends, or, when it is missing, the request is recorded and nothing is spent. KEYS: the counters, in charge
-- order, then the approval keys the call may touch. Answers as Acquire, or {2} (grant missing, request recorded).
local P = ARGV[1]
local now = clock(ARGV[2])
local n = tonumber(ARGV[3])
local fp = ARGV[4]
local grant = ARGV[5]
local id = ARGV[6]

if not grant_live(P, id, fp, now) then
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

local answer = acquire(now, n, 19, true)
if answer[1] == 0 then drop_grant(P, id) end
return answer
