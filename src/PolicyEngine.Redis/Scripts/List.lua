-- PolicyStateStore.GetPendingApprovalsAsync. ARGV: prefix, now, fingerprint. Answers {now, then per live request of
-- that policy, oldest first: id, tool, sp, args, rule, msg, req, exp, trunc} (rule and msg as stored: '' for null,
-- else '=' and the text).
local P, now, fp = ARGV[1], clock(ARGV[2]), ARGV[3]
local out = { int(now) }
for _, id in ipairs(redis.call('ZRANGE', P .. ':pa', 0, -1)) do
  local p = redis.call('HMGET', P .. ':p:' .. id, 'fp', 'exp', 'tool', 'sp', 'args', 'rule', 'msg', 'req', 'trunc')
  if p[1] == fp and p[2] and tonumber(p[2]) > now then
    local rule, msg = '', ''
    if p[6] then rule = '=' .. p[6] end
    if p[7] then msg = '=' .. p[7] end
    for _, v in ipairs({ id, p[3], p[4], p[5], rule, msg, p[8], p[2], p[9] }) do out[#out + 1] = v end
  end
end
return out
