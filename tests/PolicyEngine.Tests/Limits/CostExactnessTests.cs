using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>docs/policy-language.md: a cost limit (max ≤ 1,000) is exact up to 1,024 spends in one window, each at its own time.</summary>
public sealed class CostExactnessTests
{
    private static readonly ToolCall Call = Engine.Call("t", """{"c":0.01}""", "s");

    /// <summary>A cost limit of max spends × 0.01, filled by that many spends 10 ms apart from 0 s.</summary>
    private static (PolicyEvaluator Evaluator, Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock) Filled(int spends)
    {
        var clock = Engine.Clock();
        var max = (spends / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":""" + max + ""","window":60,"cost":"args.c"}]}}}""", clock);
        for (int i = 0; i < spends; i++)
        {
            Assert.True(ev.Evaluate(Call).IsAllowed, $"spend {i}");
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        return (ev, clock);
    }

    [Fact]
    public void One_thousand_and_twenty_four_spends_fill_the_window_exactly_and_leave_one_by_one()
    {
        var (ev, clock) = Filled(1024);
        using var _ = ev;

        // now = 10.24 s; the oldest spend (at 0) leaves at 60 s exactly
        var full = ev.Evaluate(Call);
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromMilliseconds(60_000 - 10_240)), (full.Code, full.RetryAfter));
        clock.Advance(full.RetryAfter!.Value - TimeSpan.FromTicks(1));
        Assert.False(ev.Evaluate(Call).IsAllowed);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(ev.Evaluate(Call).IsAllowed); // exactly the oldest spend's 0.01 came free
        Assert.False(ev.Evaluate(Call).IsAllowed);
        clock.Advance(TimeSpan.FromMilliseconds(10)); // the second-oldest leaves
        Assert.True(ev.Evaluate(Call).IsAllowed);
        var next = ev.Evaluate(Call);
        Assert.Equal(TimeSpan.FromMilliseconds(10), next.RetryAfter);
    }

    [Fact]
    public void Past_1024_spends_the_two_oldest_merge_at_the_later_time_so_none_leaves_early()
    {
        // docs/policy-language.md: beyond 1,024 spends in a window the ring stops growing; the two oldest entries merge
        // at the later one's time (the safe direction: a spend may stay longer, never shorter).
        var (ev, clock) = Filled(1025);
        using var _ = ev;

        // now = 10.25 s; the spends of 0 and 10 ms are one entry at 10 ms, which leaves at 60.01 s
        var full = ev.Evaluate(Call);
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromMilliseconds(60_010 - 10_250)), (full.Code, full.RetryAfter));
        clock.Advance(TimeSpan.FromMilliseconds(60_000 - 10_250));
        Assert.False(ev.Evaluate(Call).IsAllowed); // an exact ring would free the spend of 0 ms here
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(ev.Evaluate(Call).IsAllowed); // both merged spends come free together
        Assert.True(ev.Evaluate(Call).IsAllowed);
        Assert.False(ev.Evaluate(Call).IsAllowed);
    }
}
