using PolicyEngine.Arguments;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Limits;

/// <summary>The short path of <see cref="LimitGate"/>: a call with one limit, one counter, one lock.</summary>
internal static partial class LimitGate
{
    private static Decision? TryAcquireOne(LimitDefinition limit, LimitState state, CounterStore store, in EvalContext ctx, ref SpendReceipt? receipt)
    {
        decimal cost = 1m;
        if (limit.Cost is not null && !limit.TryGetCost(in ctx, out cost))
        {
            return new Decision(limit.Indeterminate);
        }

        bool created = false;
        while (true)
        {
            var counter = CounterFor(limit, state, in ctx, create: false);
            if (counter is null)
            {
                // Nothing of this key is in the window: only a cost above max can fail, and a cost of 0 spends nothing.
                if (cost > state.Bounds.Max)
                {
                    return Limited(limit, state, -1);
                }

                if (cost == 0)
                {
                    return null;
                }

                counter = CounterFor(limit, state, in ctx, create: true);
                if (counter is null)
                {
                    return new Decision(Outcomes.CapacityExceeded);
                }

                created = true;
            }

            long now = state.Now;
            bool? allowed = counter is RingCounter<long> count ? TrySpendOne(count, now, out long wait, out long at) : TrySpend(counter, now, cost, out wait, out at);
            if (allowed is { } done)
            {
                if (done)
                {
                    if (cost > 0 && store.Refunds != RefundScope.None && SpendReceipt.Covers(store.Refunds, limit))
                    {
                        receipt = new SpendReceipt(new Spend(counter, at, cost));
                    }

                    return null;
                }

                if (created)
                {
                    store.ReleaseIfEmpty(counter); // made for this call, which another call beat to the room
                }

                return Limited(limit, state, wait);
            }

            // The counter expired between lookup and lock: look it up again.
        }
    }

    /// <summary>A count limit spends one, with no cost to read and no decimal on its path; null when the counter was retired.</summary>
    private static bool? TrySpendOne(RingCounter<long> counter, long now, out long wait, out long at)
    {
        at = 0;
        if (counter.IsStillDenied(now, out wait))
        {
            return false; // an exhausted limit denies again without taking the lock
        }

        counter.Enter();
        try
        {
            if (counter.Retired)
            {
                return null;
            }

            if (!counter.TryFitOneUnsynchronized(now, out wait))
            {
                return false;
            }

            at = counter.SpendOneUnsynchronized(now);
            return true;
        }
        finally
        {
            counter.Exit();
        }
    }

    private static bool? TrySpend(WindowCounter counter, long now, decimal cost, out long wait, out long at)
    {
        at = 0;
        counter.Enter();
        try
        {
            wait = 0;
            if (counter.Retired)
            {
                return null;
            }

            if (!counter.TryFitUnsynchronized(now, cost, out wait))
            {
                return false;
            }

            at = counter.SpendUnsynchronized(now, cost);
            return true;
        }
        finally
        {
            counter.Exit();
        }
    }
}
