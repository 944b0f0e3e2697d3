using System.Runtime.CompilerServices;
using PolicyEngine.Compilation;
using PolicyEngine.Evaluation;

namespace PolicyEngine.Limits;

/// <summary>
/// Spec §7 step 6: checks every limit of a call and spends on all of them at once, or on none. The
/// counters involved are locked in one global order (their ids), so two calls never both take the last
/// unit and never deadlock; no process-wide lock is taken. A call with one limit takes a short path.
/// </summary>
internal static class LimitGate
{
    private const int Inline = 8;
    private const int KeyBuffer = 128; // chars: per-value keys up to this long are looked up without a string

    public static Decision? TryAcquire(ToolPlan plan, LimitState[] states, CounterStore store, in EvalContext ctx)
    {
        var limits = plan.Limits;
        return limits.Length == 1 ? TryAcquireOne(limits[0], states[limits[0].Index], store, in ctx) : TryAcquireAll(limits, states, store, in ctx);
    }

    private static Decision? TryAcquireOne(LimitDefinition limit, LimitState state, CounterStore store, in EvalContext ctx)
    {
        decimal cost = 1m;
        if (limit.Cost is not null && !limit.TryGetCost(in ctx, out cost))
        {
            return new Decision(limit.Indeterminate);
        }

        while (true)
        {
            var counter = CounterFor(limit, state, in ctx);
            if (counter is null)
            {
                return new Decision(Outcomes.CapacityExceeded);
            }

            long now = store.Now;
            bool? allowed = counter is RingCounter<long> count ? TrySpendOne(count, now, out long wait) : TrySpend(counter, now, cost, out wait);
            if (allowed is { } done)
            {
                return done ? null : Limited(limit, store, wait);
            }

            // The counter expired between lookup and lock: look it up again.
        }
    }

    /// <summary>A count limit spends one, with no cost to read and no decimal on its path; null when the counter was retired.</summary>
    private static bool? TrySpendOne(RingCounter<long> counter, long now, out long wait)
    {
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

            if (!counter.TryFitOne(now, out wait))
            {
                return false;
            }

            counter.SpendOne(now);
            return true;
        }
        finally
        {
            counter.Exit();
        }
    }

    private static bool? TrySpend(WindowCounter counter, long now, decimal cost, out long wait)
    {
        counter.Enter();
        try
        {
            wait = 0;
            if (counter.Retired)
            {
                return null;
            }

            if (!counter.TryFit(now, cost, out wait))
            {
                return false;
            }

            counter.Spend(now, cost);
            return true;
        }
        finally
        {
            counter.Exit();
        }
    }

    /// <summary>The call's counter for one limit: its session's, the global one, or its <c>per</c> value's.</summary>
    private static WindowCounter? CounterFor(LimitDefinition limit, LimitState state, in EvalContext ctx) =>
        limit.SharedKey(in ctx) is { } key ? state.GetOrCreate(key) : ValueCounter(limit, state, in ctx);

    /// <summary>Apart, so that only a <c>per</c> value pays for the key buffer on the stack.</summary>
    private static WindowCounter? ValueCounter(LimitDefinition limit, LimitState state, in EvalContext ctx)
    {
        Span<char> buffer = stackalloc char[KeyBuffer];
        return state.GetOrCreate(limit.ValueKey(in ctx, buffer));
    }

    private static Decision Limited(LimitDefinition limit, CounterStore store, long wait) =>
        new(limit.Limited, wait < 0 ? null : store.ToTimeSpan(wait));

    private static Decision? TryAcquireAll(ReadOnlySpan<LimitDefinition> limits, LimitState[] states, CounterStore store, in EvalContext ctx)
    {
        int n = limits.Length;
        Span<decimal> costs = n <= Inline ? stackalloc decimal[Inline] : new decimal[n];
        var counters = new CounterBuffer();
        Span<WindowCounter?> slots = n <= Inline ? counters : new WindowCounter?[n];
        Span<int> order = n <= Inline ? stackalloc int[Inline] : new int[n];

        for (int i = 0; i < n; i++)
        {
            if (!limits[i].TryGetCost(in ctx, out costs[i]))
            {
                return new Decision(limits[i].Indeterminate);
            }
        }

        while (true)
        {
            for (int i = 0; i < n; i++)
            {
                var counter = CounterFor(limits[i], states[limits[i].Index], in ctx);
                if (counter is null)
                {
                    return new Decision(Outcomes.CapacityExceeded);
                }

                slots[i] = counter;
                order[i] = i;
            }

            SortByCounterId(slots[..n], order[..n]);
            long now = store.Now;
            int locked = 0;
            try
            {
                bool retired = false;
                for (; locked < n; locked++)
                {
                    var counter = slots[order[locked]]!;
                    if (locked > 0 && ReferenceEquals(counter, slots[order[locked - 1]]))
                    {
                        // Distinct limits have distinct counters; the lock is not reentrant, so fail closed rather than wait forever.
                        throw new InvalidOperationException("One counter appeared twice in a call's limits.");
                    }

                    counter.Enter();
                    retired |= counter.Retired;
                }

                if (retired)
                {
                    continue; // expired between lookup and lock: look the counters up again
                }

                return CheckAndSpend(limits, slots[..n], costs, now, store);
            }
            finally
            {
                for (int i = locked - 1; i >= 0; i--)
                {
                    slots[order[i]]!.Exit();
                }
            }
        }
    }

    private static Decision? CheckAndSpend(ReadOnlySpan<LimitDefinition> limits, Span<WindowCounter?> counters, Span<decimal> costs, long now, CounterStore store)
    {
        int first = -1;
        long longest = 0;
        for (int i = 0; i < counters.Length; i++)
        {
            if (counters[i]!.TryFit(now, costs[i], out long wait))
            {
                continue;
            }

            if (first < 0)
            {
                first = i;
            }

            longest = wait < 0 || longest < 0 ? -1 : Math.Max(longest, wait);
        }

        if (first >= 0)
        {
            return new Decision(limits[first].Limited, longest < 0 ? null : store.ToTimeSpan(longest));
        }

        for (int i = 0; i < counters.Length; i++)
        {
            counters[i]!.Spend(now, costs[i]);
        }

        return null;
    }

    /// <summary>Insertion sort of the lock order: calls have a handful of limits.</summary>
    private static void SortByCounterId(Span<WindowCounter?> counters, Span<int> order)
    {
        for (int i = 1; i < order.Length; i++)
        {
            int current = order[i];
            long id = counters[current]!.Id;
            int j = i - 1;
            while (j >= 0 && counters[order[j]]!.Id > id)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }
    }

    [InlineArray(Inline)]
    private struct CounterBuffer
    {
        private WindowCounter? _element;
    }
}
