using PolicyEngine.Limits;
using static PolicyEngine.Tests.Limits.LockProbe;
using static PolicyEngine.Tests.Limits.RefundTests;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// The refund token itself (<c>SpendReceipt</c>): which of a call's spends it holds when the call has several limits,
/// and both ways of claiming it, in memory and in a shared store. Found by the mutation run.
/// </summary>
public class SpendReceiptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ToolCall Call(string arguments) => TestSupport.Engine.Call("t", arguments, "s");

    [Fact]
    public async Task RefundAsync_in_memory_gives_the_spend_back_once()
    {
        using var ev = Engine(Doc("""{"max":100,"window":60,"cost":"args.n"}"""));
        var paid = ev.Evaluate(Pay(60));
        Assert.False(ev.Evaluate(Pay(50)).IsAllowed);

        var first = ev.RefundAsync(paid, Ct);
        Assert.True(first.IsCompletedSuccessfully); // in memory: at once, no round trip
        Assert.True(await first);
        Assert.False(await ev.RefundAsync(paid, Ct));
        Assert.True(ev.Evaluate(Pay(100)).IsAllowed); // all 60 came back, and no more
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Fact]
    public void A_sync_refund_of_a_call_a_shared_store_decided_gives_the_spend_back_in_that_store()
    {
        var clock = TestSupport.Engine.Clock();
        var store = PolicyStateStore.CreateInMemory(new PolicyEngineOptions { TimeProvider = clock });
        using var ev = TestSupport.Engine.For(Doc("""{"max":100,"window":60,"cost":"args.n"}"""), clock, o =>
        {
            o.StateStore = store;
            o.Refunds = RefundScope.CostLimits;
        });
        var paid = ev.Evaluate(Pay(60));
        Assert.True(paid.IsRefundable);
        Assert.False(ev.Evaluate(Pay(50)).IsAllowed);

        Assert.True(ev.Refund(in paid));
        Assert.False(ev.Refund(in paid));
        Assert.True(ev.Evaluate(Pay(100)).IsAllowed);
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Theory]
    [InlineData("""{"max":5,"window":60},{"max":5,"window":60,"per":"global"}""")] // count limits only, which CostLimits leaves out
    [InlineData("""{"max":5,"window":60},{"max":10,"window":60,"cost":"args.n"}""")] // the cost limit's spend is 0
    public void A_call_with_several_limits_and_nothing_refundable_spent_is_allowed_without_a_token(string limits)
    {
        using var ev = Engine(Doc(limits));
        Assert.True(ev.Evaluate(Pay(1)).IsAllowed); // every counter exists now, so the next call locks them all
        var free = ev.Evaluate(Pay(0));
        Assert.Equal(DecisionCodes.Allowed, free.Code);
        Assert.False(free.IsRefundable);
        Assert.False(ev.Refund(in free));
    }

    [Fact]
    public void Under_cost_limits_the_token_holds_exactly_the_positive_cost_spends()
    {
        // Four limits, all spending: a count limit (left out under CostLimits), two costs of 9 and a cost of 0 (nothing
        // to give back). The token holds the two 9s, no more: it is made to measure.
        using var ev = Engine(Doc("""
            {"max":3,"window":60},
            {"max":10,"window":60,"cost":"args.a"},{"max":10,"window":60,"cost":"args.b"},{"max":10,"window":60,"cost":"args.c"}
            """));
        Assert.True(ev.Evaluate(Call("""{"a":1,"b":1,"c":1}""")).IsAllowed); // makes every counter
        var paid = ev.Evaluate(Call("""{"a":9,"b":9,"c":0}"""));
        Assert.Equal(DecisionCodes.Allowed, paid.Code);

        Assert.True(ev.Refund(in paid));
        Assert.True(ev.Evaluate(Call("""{"a":9,"b":9,"c":9}""")).IsAllowed); // both 9s came back
        var full = ev.Evaluate(Call("""{"a":0,"b":0,"c":0}"""));
        Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/0"), (full.Code, full.Rule)); // the count limit kept its 3
    }

    [Fact]
    public void A_refund_waits_for_a_call_that_holds_the_counter_and_leaves_its_lock_as_it_was()
    {
        var clock = TestSupport.Engine.Clock();
        using var store = new CounterStore(new PolicyEngineOptions { TimeProvider = clock });
        var state = TestSupport.Engine.FirstLimit(Doc("""{"max":10,"window":60,"cost":"args.n"}"""), store);
        var counter = state.GetOrCreate("s")!;
        counter.Enter();
        long at = counter.SpendUnsynchronized(state.Now, 10);
        counter.Exit();
        var receipt = new SpendReceipt(new Spend(counter, at, 10));

        bool refunded = false;
        RunWhileLocked(counter, () => refunded = receipt.TryRefund());
        Assert.True(refunded);
        AssertLockFree(counter);
        counter.Enter();
        Assert.True(counter.TryFitUnsynchronized(state.Now, 10, out _)); // all 10 came back
        counter.Exit();
    }
}
