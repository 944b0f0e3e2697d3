using System.Runtime.CompilerServices;
using PolicyEngine.Compilation;
using PolicyEngine.Evaluation;

namespace PolicyEngine.Limits;

/// <summary>
/// Spec §7 step 6: checks every limit of a call and spends on all of them at once, or on none. The
/// counters involved are locked in one global order (their ids), so two calls never both take the last
/// unit and never deadlock; no process-wide lock is taken.
/// </summary>
internal static class LimitGate
{
    private const int Inline = 8;

    public static Decision? TryAcquire(ToolPlan plan, LimitState[] states, CounterStore store, in EvalContext ctx)
    {
        var limits = plan.Limits;
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
                var state = states[limits[i].Index];
                var counter = state.GetOrCreate(limits[i].PartitionKey(in ctx));
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
                    counter.Gate.Enter();
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
                    slots[order[i]]!.Gate.Exit();
                }
            }
        }
    }

    private static Decision? CheckAndSpend(LimitDefinition[] limits, Span<WindowCounter?> counters, Span<decimal> costs, long now, CounterStore store)
    {
        int first = -1;
        long wait = 0;
        for (int i = 0; i < counters.Length; i++)
        {
            var counter = counters[i]!;
            long window = counter.State.WindowTimestamp;
            counter.Prune(now, window);
            if (counter.Fits(costs[i], limits[i].Max))
            {
                continue;
            }

            if (first < 0)
            {
                first = i;
            }

            long w = counter.WaitFor(now, window, costs[i], limits[i].Max);
            wait = w < 0 || wait < 0 ? -1 : Math.Max(wait, w);
        }

        if (first >= 0)
        {
            return new Decision(limits[first].Limited, wait < 0 ? null : store.ToTimeSpan(wait));
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
