using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>docs/policy-language.md: a cost limit (max ≤ 1,000) is exact up to 1,024 spends in one window, each at its own time.</summary>
public sealed class CostExactnessTests
{
    [Fact]
    public void One_thousand_and_twenty_four_spends_fill_the_window_exactly_and_leave_one_by_one()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":10.24,"window":60,"cost":"args.c"}]}}}""", clock);
        var call = Engine.Call("t", """{"c":0.01}""", "s");
        for (int i = 0; i < 1024; i++)
        {
            Assert.True(ev.Evaluate(call).IsAllowed, $"spend {i}");
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // now = 10.24 s; the oldest spend (at 0) leaves at 60 s exactly
        var full = ev.Evaluate(call);
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromMilliseconds(60_000 - 10_240)), (full.Code, full.RetryAfter));
        clock.Advance(full.RetryAfter!.Value - TimeSpan.FromTicks(1));
        Assert.False(ev.Evaluate(call).IsAllowed);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(ev.Evaluate(call).IsAllowed); // exactly the oldest spend's 0.01 came free
        Assert.False(ev.Evaluate(call).IsAllowed);
        clock.Advance(TimeSpan.FromMilliseconds(10)); // the second-oldest leaves
        Assert.True(ev.Evaluate(call).IsAllowed);
        var next = ev.Evaluate(call);
        Assert.Equal(TimeSpan.FromMilliseconds(10), next.RetryAfter);
    }
}
