using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

public class CapacityAndReloadTests
{
    private const string PerSession = """{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""";

    [Fact]
    public void A_flood_of_fresh_session_ids_never_grows_past_the_cap()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock, o => o.MaxTrackedLimitKeys = 100_000);
        int allowed = 0, refused = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            var d = ev.Evaluate(new ToolCall("t") { SessionId = "s" + i });
            if (d.IsAllowed)
            {
                allowed++;
            }
            else if (d.Code == DecisionCodes.CapacityExceeded)
            {
                refused++;
            }

            if (i % 50_000 == 0)
            {
                Assert.True(ev.TrackedLimitKeys <= 100_000);
            }
        }

        Assert.Equal(100_000, ev.TrackedLimitKeys);
        Assert.Equal((100_000, 900_000), (allowed, refused));
    }

    [Fact]
    public void At_the_cap_existing_counters_keep_working_and_idle_ones_are_reclaimed()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock, o => o.MaxTrackedLimitKeys = 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" + i }).IsAllowed);
        }

        var refused = ev.Evaluate(new ToolCall("t") { SessionId = "new" });
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.CapacityExceeded), (refused.Effect, refused.Code));
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s0" }).IsAllowed); // never evicted while live

        clock.Advance(TimeSpan.FromSeconds(61)); // every window is empty now
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "new" }).IsAllowed);
        Assert.True(ev.TrackedLimitKeys <= 3);
    }

    [Fact]
    public void A_counter_is_never_dropped_while_its_window_holds_spend()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock, o => o.MaxTrackedLimitKeys = 1);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "victim" }).IsAllowed);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(DecisionCodes.CapacityExceeded, ev.Evaluate(new ToolCall("t") { SessionId = "attacker" }).Code);
        var again = ev.Evaluate(new ToolCall("t") { SessionId = "victim" });
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(30)), (again.Code, again.RetryAfter));
    }

    [Fact]
    public void Denied_approval_pending_and_shadow_denied_calls_spend_nothing()
    {
        using var ev = Engine.For("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"max":1,"window":60}]},
             "tools":{"d":{"deny_if":[{"conditions":[]}]},"r":{"action":"require_approval"}}}
            """);
        ev.Evaluate(new ToolCall("d") { SessionId = "s" });
        ev.Evaluate(new ToolCall("r") { SessionId = "s" });
        Assert.True(ev.Evaluate(new ToolCall("ok") { SessionId = "s" }).IsAllowed);

        using var shadow = Engine.For("""{"version":"1","mode":"shadow","default":"allow","tools":{"t":{"limits":[{"max":1,"window":60}]},"u":{"limits":[{"max":1,"window":60,"per":"global"}]}}}""");
        Assert.Equal(DecisionCodes.Allowed, shadow.Evaluate(new ToolCall("t") { SessionId = "s" }).Shadowed!.Code);
        Assert.Equal(DecisionCodes.RateLimited, shadow.Evaluate(new ToolCall("t") { SessionId = "s" }).Shadowed!.Code);
    }

    [Fact]
    public void Retry_after_is_null_when_the_cost_can_never_fit_and_the_longest_wait_otherwise()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"max":2,"window":10},{"max":100,"window":60,"cost":"args.c"}]}}
            """, clock);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"c":60}""", "s")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(ev.Evaluate(Engine.Call("t", """{"c":1}""", "s")).IsAllowed);
        var both = ev.Evaluate(Engine.Call("t", """{"c":50}""", "s"));
        Assert.Equal(("/all_tools/limits/0", TimeSpan.FromSeconds(55)), (both.Rule, both.RetryAfter));
        var never = ev.Evaluate(Engine.Call("t", """{"c":101}""", "s"));
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)null), (never.Code, never.RetryAfter));
    }

    [Fact]
    public void Wall_clock_jumps_neither_reset_nor_release_limits()
    {
        var clock = new SplitClock();
        using var ev = new PolicyEvaluator(Policy.Parse(PerSession), new PolicyEngineOptions { TimeProvider = clock });
        for (int i = 0; i < 5; i++)
        {
            ev.Evaluate(new ToolCall("t") { SessionId = "s" });
        }

        clock.SetWallClock(Engine.Epoch.AddHours(-5));
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(new ToolCall("t") { SessionId = "s" }).Code);
        clock.SetWallClock(Engine.Epoch.AddDays(3));
        var decision = ev.Evaluate(new ToolCall("t") { SessionId = "s" });
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(60)), (decision.Code, decision.RetryAfter));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(ev.Evaluate(new ToolCall("t") { SessionId = "s" }).IsAllowed);
    }
}
