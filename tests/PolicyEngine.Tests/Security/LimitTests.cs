using Microsoft.Extensions.Time.Testing;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "Limits" (lines 15–18). Concurrency uses real threads released by a barrier.</summary>
public sealed class LimitTests
{
    [Fact]
    public void Line15_ThousandConcurrentCalls_OneUnitLeft_ExactlyOneAllowed()
    {
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":5,"window":"1h","per":"global"}]}}}""");
        for (var i = 0; i < 4; i++) Assert.True(engine.Evaluate(Call("t", session: "warm")).IsAllowed);
        var results = RunTogether(8, w => Enumerable.Range(0, 125).Select(i => engine.Evaluate(Call("t", session: $"s{w}-{i}")).Code));
        Assert.Equal(1000, results.Count);
        Assert.Equal(1, results.Count(c => c == DecisionCodes.Allowed));
        Assert.Equal(999, results.Count(c => c == DecisionCodes.RateLimited));
    }

    [Fact]
    public void Line15_CheckAndSpendAreAtomicAcrossAllOfACallsLimits()
    {
        // Global room for 3, but each user may spend only 1. If a call could spend the global unit and then
        // fail its per-user limit, fewer than 3 calls would get through.
        using var engine = Engine("""
            {"version":"1","default":"allow",
             "all_tools":{"limits":[{"max":3,"window":"1h","per":"global"}]},
             "tools":{"t":{"limits":[{"max":1,"window":"1h","per":"context.user"}]}}}
            """);
        var results = RunTogether(8, w => Enumerable.Range(0, 125).Select(i =>
        {
            var user = $"u{(w * 125 + i) % 10}";
            var call = Call("t", session: "s") with { Context = new Dictionary<string, System.Text.Json.JsonElement> { ["user"] = JsonArg($"\"{user}\"") } };
            return (User: user, engine.Evaluate(call).Code);
        }));
        var allowed = results.Where(r => r.Code == DecisionCodes.DefaultAllow || r.Code == DecisionCodes.Allowed).ToList();
        Assert.Equal(3, allowed.Count);
        Assert.Equal(3, allowed.Select(a => a.User).Distinct().Count());
    }

    [Fact]
    public void Line16_FreshSessionPerCall_PerSessionLimitCannotStopIt_ButContextUserAndGlobalCan()
    {
        using var engine = Engine("""
            {"version":"1","default":"allow","tools":{
              "per_session":{"limits":[{"max":1,"window":"1h"}]},
              "per_user":{"limits":[{"max":3,"window":"1h","per":"context.user"}]},
              "per_global":{"limits":[{"max":3,"window":"1h","per":"global"}]}}}
            """);
        var alice = new Dictionary<string, System.Text.Json.JsonElement> { ["user"] = JsonArg("\"alice\"") };
        var bySession = Enumerable.Range(0, 20).Count(i => engine.Evaluate(Call("per_session", session: $"fresh-{i}")).IsAllowed);
        var byUser = Enumerable.Range(0, 20).Count(i => engine.Evaluate(Call("per_user", session: $"fresh-u{i}") with { Context = alice }).IsAllowed);
        var byGlobal = Enumerable.Range(0, 20).Count(i => engine.Evaluate(Call("per_global", session: $"fresh-g{i}")).IsAllowed);
        Assert.Equal((20, 3, 3), (bySession, byUser, byGlobal));
    }

    [Fact]
    public void Line16_TrackedKeysStayBoundedByTheCap_NewKeysBeyondItAreCapacityExceeded()
    {
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h"}]}}}""",
            configure: o => o.MaxTrackedLimitKeys = 50);
        var codes = Enumerable.Range(0, 1000).Select(i => engine.Evaluate(Call("t", session: $"fresh-{i}")).Code).ToList();
        Assert.True(engine.TrackedLimitKeys <= 50, $"tracked {engine.TrackedLimitKeys}");
        Assert.Equal(50, codes.Count(c => c == DecisionCodes.Allowed));
        Assert.All(codes.Skip(50), c => Assert.Equal(DecisionCodes.CapacityExceeded, c));
        // An existing counter still works at the cap.
        Assert.Equal(DecisionCodes.RateLimited, engine.Evaluate(Call("t", session: "fresh-0")).Code);
    }

    [Fact]
    public void Line17_BurstStraddlingTheWindowEdge_NeverExceedsMaxInAnyWindow()
    {
        var clock = new FakeTimeProvider(Epoch);
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":3,"window":10}}}}""", clock);
        var allowedAt = new List<double>();
        // Bursts of 6 calls every 0.25 s across 60 s, densest right around the multiples of 10 s.
        for (var step = 0; step <= 240; step++)
        {
            for (var k = 0; k < 6; k++)
            {
                if (engine.Evaluate(Call("t", session: "s")).IsAllowed) allowedAt.Add(step * 0.25);
            }

            clock.Advance(TimeSpan.FromSeconds(0.25));
        }

        foreach (var t in allowedAt)
        {
            var inWindow = allowedAt.Count(a => a > t - 10 && a <= t);
            Assert.True(inWindow <= 3, $"{inWindow} allowed in the window ending at {t}");
        }

        // And the limit is not over-strict: each window admits exactly 3 (at 0, 10, 20, … 60 s).
        Assert.Equal(21, allowedAt.Count);
    }

    [Fact]
    public void Line18_WallClockJumpsBackwards_LimitsFollowTheMonotonicClock()
    {
        var clock = new SplitClock();
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":2,"window":60}}}}""", clock);
        Assert.True(engine.Evaluate(Call("t", session: "s")).IsAllowed);
        Assert.True(engine.Evaluate(Call("t", session: "s")).IsAllowed);

        clock.Wall.AdjustTime(Epoch - TimeSpan.FromHours(1)); // wall clock jumps back an hour
        clock.Ticks += TimeSpan.TicksPerSecond; // 1 s really passed
        var d = engine.Evaluate(Call("t", session: "s"));
        Assert.Equal(DecisionCodes.RateLimited, d.Code);
        Assert.InRange(d.RetryAfter!.Value.TotalSeconds, 58.999, 59.001);

        clock.Wall.AdjustTime(Epoch + TimeSpan.FromDays(1)); // and forward a day: still no reset
        Assert.Equal(DecisionCodes.RateLimited, engine.Evaluate(Call("t", session: "s")).Code);

        clock.Ticks += 59 * TimeSpan.TicksPerSecond; // the window really passed
        Assert.True(engine.Evaluate(Call("t", session: "s")).IsAllowed);
    }
}
