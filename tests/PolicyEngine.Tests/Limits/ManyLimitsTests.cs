using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// A call under more than 8 limits: the gate's per-call buffers live on the stack up to 8 and on the heap beyond, a
/// path the mutation run found untested. The call is still all or nothing across every limit, reports the first
/// limit without room and the longest wait among those without room.
/// </summary>
public class ManyLimitsTests
{
    private static string Policy(int count)
    {
        // Limit i allows 3 calls per (i + 1) × 10 s, except the last two, which allow 2 per 30 s and 2 per 60 s.
        var limits = Enumerable.Range(0, count).Select(i =>
            i == count - 2 ? """{"max":2,"window":30}"""
            : i == count - 1 ? """{"max":2,"window":60,"per":"global"}"""
            : $$"""{"max":3,"window":{{(i + 1) * 10}}}""");
        return """{"version":"1","default":"allow","tools":{"t":{"limits":[""" + string.Join(",", limits) + "]}}}";
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    public void Every_limit_counts_and_the_first_full_one_is_reported_with_the_longest_wait(int count)
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Policy(count), clock);
        var call = Engine.Call("t", session: "s");
        Assert.True(ev.Evaluate(call).IsAllowed);
        Assert.True(ev.Evaluate(call).IsAllowed);
        Assert.Equal(count, ev.TrackedLimitKeys);

        clock.Advance(TimeSpan.FromSeconds(5));
        var full = ev.Evaluate(call); // the last two are full: the first of them decides, the longer wait is given
        Assert.Equal((DecisionCodes.RateLimited, $"/tools/t/limits/{count - 2}", (TimeSpan?)TimeSpan.FromSeconds(55)),
            (full.Code, full.Rule, full.RetryAfter));

        clock.Advance(TimeSpan.FromSeconds(55)); // all windows up to 60 s have let the two spends go
        Assert.True(ev.Evaluate(call).IsAllowed);
        Assert.True(ev.Evaluate(Engine.Call("t", session: "other")).IsAllowed);
        var global = ev.Evaluate(Engine.Call("t", session: "third")); // the global limit is full again; a denied call spends nowhere
        Assert.Equal((DecisionCodes.RateLimited, $"/tools/t/limits/{count - 1}"), (global.Code, global.Rule));
        Assert.False(ev.Evaluate(Engine.Call("t", session: "s")).IsAllowed);
    }
}
