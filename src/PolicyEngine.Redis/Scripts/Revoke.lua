-- PolicyStateStore.RevokeAsync. ARGV: prefix, now, id. Answers 1 when an unspent, unexpired grant was withdrawn.
local P, now, id = ARGV[1], clock(ARGV[2]), ARGV[3]
local exp = redis.call('HGET', P .. ':g:' .. id, 'exp')
if not exp then return 0 end
drop_grant(P, id)
if tonumber(exp) > now then return 1 end
return 0
