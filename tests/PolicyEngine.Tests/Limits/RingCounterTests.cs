using static PolicyEngine.Tests.Limits.RefundTests;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// The ring of one counter (<c>RingCounter</c>), seen through calls: a call that costs 0 records nothing, not even
/// activity. Found by the mutation run.
/// </summary>
public class RingCounterTests
{
    [Fact]
    public void A_call_that_costs_0_leaves_its_counter_idle_when_its_window_empties()
    {
        // At the cap of one counter, a new key gets room only once the first key's counter is idle: a whole window after
        // its last spend. A call of cost 0 in between spends nothing, so it must not count as activity.
        var clock = TestSupport.Engine.Clock();
        using var ev = TestSupport.Engine.For(Doc("""{"max":10,"window":10,"cost":"args.n"}"""), clock, o => o.MaxTrackedLimitKeys = 1);
        Assert.True(ev.Evaluate(Pay(5, "a")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(ev.Evaluate(Pay(0, "a")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Pay(1, "b")).Code);
    }
}
