-- PolicyStateStore.AcquireAsync for a call with no grant: checks every limit of the call, then spends on all of them
-- or on none, atomically. KEYS: the counters, in charge order. ARGV: now (µs, or '' for Redis TIME), n, whether the
-- recorded times are wanted ('1': a spend may be refunded), then two per charge (see acquire). Answers {0, recorded
-- time per charge...} (acquired; 0 alone when the times are not wanted) or {1, first limit lacking room (0-based),
-- longest wait µs or -1} (limited).
return acquire(clock(ARGV[1]), tonumber(ARGV[2]), 4, ARGV[3] == '1')
