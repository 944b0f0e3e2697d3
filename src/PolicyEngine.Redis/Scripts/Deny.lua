-- PolicyStateStore.DenyAsync. ARGV: prefix, now, id. Answers 1 when a live request was dropped.
local P, now, id = ARGV[1], clock(ARGV[2]), ARGV[3]
if not pending_live(P, id, now) then return 0 end
drop_pending(P, id)
return 1
