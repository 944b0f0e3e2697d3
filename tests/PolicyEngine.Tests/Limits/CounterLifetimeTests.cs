using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>Counters exist only for calls that spend, and a counter's time never runs backwards.</summary>
public class CounterLifetimeTests
{
    [Fact]
    public void Calls_that_another_limit_denies_create_no_counter()
    {
        // The global limit is spent; a flood of new sessions is denied by it and must not fill the per-session cap.
        using var ev = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":60,"per":"global"},{"max":5,"window":60}]}}}
            """, configure: o => o.MaxTrackedLimitKeys = 10);
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "first" }).IsAllowed);
        Assert.Equal(2, ev.TrackedLimitKeys);

        for (int i = 0; i < 1_000; i++)
        {
            var d = ev.Evaluate(new ToolCall("t") { SessionId = "s" + i });
            Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/0"), (d.Code, d.Rule));
        }

        Assert.Equal(2, ev.TrackedLimitKeys);
    }

    [Fact]
    public void Calls_that_cost_nothing_create_no_counter_and_are_allowed()
    {
        using var ev = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":10,"window":60,"cost":"args.n","per":"args.k"}]}}}
            """, configure: o => o.MaxTrackedLimitKeys = 1);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(ev.Evaluate(Engine.Call("t", $$"""{"n":0,"k":{{i}}}""")).IsAllowed);
        }

        Assert.Equal(0, ev.TrackedLimitKeys);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"n":3,"k":"real"}""")).IsAllowed); // the one slot is still free
        Assert.Equal(1, ev.TrackedLimitKeys);
    }

    [Fact]
    public void A_cost_above_max_is_denied_without_a_counter_and_never_fits()
    {
        using var ev = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":10,"window":60,"cost":"args.n"}]}}}
            """);
        var d = ev.Evaluate(Engine.Call("t", """{"n":11}""", "s"));
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)null), (d.Code, d.RetryAfter));
        Assert.Equal(0, ev.TrackedLimitKeys);
    }

    [Fact]
    public void With_several_limits_a_new_counter_is_made_only_once_every_limit_has_room()
    {
        using var ev = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":2,"window":60},{"max":10,"window":60,"per":"args.k","cost":"args.n"}]}}}
            """);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"n":1,"k":"a"}""", "s")).IsAllowed);
        Assert.Equal(2, ev.TrackedLimitKeys);
        var tooMuch = ev.Evaluate(Engine.Call("t", """{"n":11,"k":"b"}""", "s"));
        Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/1", (TimeSpan?)null), (tooMuch.Code, tooMuch.Rule, tooMuch.RetryAfter));
        Assert.Equal(2, ev.TrackedLimitKeys);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"n":1,"k":"c"}""", "s")).IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys);
        var full = ev.Evaluate(Engine.Call("t", """{"n":1,"k":"d"}""", "s"));
        Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/0"), (full.Code, full.Rule));
        Assert.Equal(3, ev.TrackedLimitKeys);
    }

    [Fact]
    public void A_clock_that_steps_back_never_moves_spends_out_of_the_window()
    {
        // max over 1,000 folds spends close together into one entry; a spend at an earlier clock reading must not
        // drag that entry back in time, or the window would forget it early and admit more than max.
        var clock = new SteppingClock();
        using var ev = new PolicyEvaluator(Policy.Parse("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":2000,"window":64}]}}}
            """), new PolicyEngineOptions { TimeProvider = clock });
        clock.Set(100);
        for (int i = 0; i < 1999; i++)
        {
            Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" }).IsAllowed);
        }

        clock.Set(99.5); // the host's clock steps back half a second
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" }).IsAllowed);

        clock.Set(163.6); // 100 + 64 = 164: every spend is still in the window
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(new ToolCall("t") { SessionId = "s" }).Code);
        clock.Set(164);
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" }).IsAllowed);
    }

    [Fact]
    public void After_a_pass_that_frees_nothing_the_cap_rests_a_second_before_looking_again()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":10}]}}""", clock,
            o => o.MaxTrackedLimitKeys = 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" + i }).IsAllowed);
        }

        clock.Advance(TimeSpan.FromSeconds(9.5));
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s0" }).IsAllowed); // s0 stays live; s1 and s2 go idle at 10 s
        Assert.Equal(DecisionCodes.CapacityExceeded, ev.Evaluate(new ToolCall("t") { SessionId = "new" }).Code); // a whole pass, nothing idle

        clock.Advance(TimeSpan.FromSeconds(0.6)); // s1 and s2 are idle now, but the store rests until 1 s after that pass
        Assert.Equal(DecisionCodes.CapacityExceeded, ev.Evaluate(new ToolCall("t") { SessionId = "new" }).Code);
        clock.Advance(TimeSpan.FromSeconds(0.4));
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "new" }).IsAllowed);
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "other" }).IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys);
    }

    [Fact]
    public void At_the_cap_each_call_examines_a_bounded_batch_and_idle_counters_are_reclaimed_over_calls()
    {
        var clock = Engine.Clock();
        // A host cache that never scans by itself: the evaluator's own would, 10 s of this clock after its last scan, retire
        // every idle counter on the thread pool at once, racing the counts below (seen: 1 tracked where 937 were expected).
        using var cache = new MemoryCache(new MemoryCacheOptions { ExpirationScanFrequency = TimeSpan.FromHours(1) });
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""", clock,
            o =>
            {
                o.MaxTrackedLimitKeys = 1_000;
                o.LimitCache = cache;
            });
        for (int i = 0; i < 1_000; i++)
        {
            Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "old" + i }).IsAllowed);
        }

        clock.Advance(TimeSpan.FromSeconds(61)); // all idle now
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "new0" }).IsAllowed);

        // That call retired one batch of idle counters, not all 1,000: the sweep is spread over the calls.
        Assert.Equal(1_000 - 64 + 1, ev.TrackedLimitKeys);
        for (int i = 1; i < 1_000; i++)
        {
            var d = ev.Evaluate(new ToolCall("t") { SessionId = "new" + i });
            Assert.True(d.IsAllowed, $"call {i}: {d.Code}, tracked {ev.TrackedLimitKeys}");
        }

        // Now every counter is a live one of the new sessions: the next session is refused, the live ones still count.
        Assert.Equal(DecisionCodes.CapacityExceeded, ev.Evaluate(new ToolCall("t") { SessionId = "one-more" }).Code);
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "new0" }).IsAllowed);
        Assert.True(ev.TrackedLimitKeys <= 1_000);
    }
}
