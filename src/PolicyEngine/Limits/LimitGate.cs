using System.Runtime.CompilerServices;
using PolicyEngine.DecisionTree;
using PolicyEngine.Arguments;

namespace PolicyEngine.Limits;

/// <summary>
/// docs/policy-language.md#evaluating-a-call step 6: checks every limit of a call and spends on all of them at once, or on none. The
/// counters involved are locked in one global order (their ids), so two calls never both take the last
/// unit and never deadlock; no process-wide lock is taken. A call with one limit takes a short path.
/// A counter is created only for a call that will spend in it: a key with no counter holds nothing, so
/// its limit is judged as an empty window, and calls that another limit denies or that cost 0 leave no
/// counter behind to take a slot of <see cref="PolicyEngineOptions.MaxTrackedLimitKeys"/>.
/// When the store keeps refunds (<see cref="PolicyEngineOptions.Refunds"/>), an allowed call that spent on a
/// refundable limit gets a <see cref="SpendReceipt"/>; otherwise nothing is allocated.
/// </summary>
internal static partial class LimitGate
{
    private const int Inline = 8;
    private const int KeyBuffer = LimitDefinition.LongestPlainKey; // chars: per-value keys up to this long are looked up without a string

    public static Decision? TryAcquire(ToolPlan plan, LimitState[] states, CounterStore store, in EvalContext ctx, out SpendReceipt? receipt)
    {
        var limits = plan.Limits;
        receipt = null;
        return limits.Length == 1
            ? TryAcquireOne(limits[0], states[limits[0].Index], store, in ctx, ref receipt)
            : TryAcquireAll(limits, states, store, in ctx, ref receipt);
    }

    /// <summary>The call's counter for one limit: its session's, the global one, or its <c>per</c> value's; made only when <paramref name="create"/>.</summary>
    private static WindowCounter? CounterFor(LimitDefinition limit, LimitState state, in EvalContext ctx, bool create) =>
        limit.SharedKey(in ctx) is { } key
            ? (create ? state.GetOrCreate(key) : state.Find(key))
            : ValueCounter(limit, state, in ctx, create);

    /// <summary>Apart, so that only a <c>per</c> value pays for the key buffer on the stack.</summary>
    private static WindowCounter? ValueCounter(LimitDefinition limit, LimitState state, in EvalContext ctx, bool create)
    {
        Span<char> buffer = stackalloc char[KeyBuffer];
        var key = limit.ValueKey(in ctx, buffer);
        return create ? state.GetOrCreate(key) : state.Find(key);
    }

    private static Decision Limited(LimitDefinition limit, LimitState state, long wait) =>
        new(limit.Limited, wait < 0 ? null : state.ToTimeSpan(wait));

    private static Decision? TryAcquireAll(ReadOnlySpan<LimitDefinition> limits, LimitState[] states, CounterStore store, in EvalContext ctx, ref SpendReceipt? receipt)
    {
        int n = limits.Length;
        Span<decimal> costs = n <= Inline ? stackalloc decimal[Inline] : new decimal[n];
        var counters = new CounterBuffer();
        Span<WindowCounter?> slots = n <= Inline ? counters : new WindowCounter?[n];
        Span<int> order = n <= Inline ? stackalloc int[Inline] : new int[n];
        Span<bool> created = n <= Inline ? stackalloc bool[Inline] : new bool[n];
        created.Clear();

        for (int i = 0; i < n; i++)
        {
            if (!limits[i].TryGetCost(in ctx, out costs[i]))
            {
                return new Decision(limits[i].Indeterminate);
            }
        }

        while (true)
        {
            bool missing = false; // a counter this call will spend in does not exist yet
            int present = 0;
            for (int i = 0; i < n; i++)
            {
                var state = states[limits[i].Index];
                var counter = CounterFor(limits[i], state, in ctx, create: false);
                slots[i] = counter;
                if (counter is not null)
                {
                    order[present++] = i;
                }
                else
                {
                    missing |= costs[i] > 0 && costs[i] <= state.Bounds.Max;
                }
            }

            var locked = order[..present];
            SortByCounterId(slots, locked);
            var outcome = LockAndSettle(limits, states, slots, locked, costs, store, spend: !missing, out int first, out long longest, ref receipt);
            if (outcome == Settled.Retry)
            {
                continue; // a counter expired between lookup and lock: look them up again
            }

            if (outcome == Settled.Spent)
            {
                return null;
            }

            if (outcome == Settled.Fits)
            {
                // Every limit has room: make the counters this call spends in, then check and spend again under the locks.
                for (int i = 0; i < n; i++)
                {
                    if (slots[i] is null && costs[i] > 0)
                    {
                        var counter = CounterFor(limits[i], states[limits[i].Index], in ctx, create: true);
                        if (counter is null)
                        {
                            ReleaseCreated(slots, created, store);
                            return new Decision(Outcomes.CapacityExceeded);
                        }

                        slots[i] = counter;
                        created[i] = true;
                    }
                }

                continue;
            }

            ReleaseCreated(slots, created, store);
            // Stryker disable once Conditional : equivalent. longest is -1 or a wait ≥ 0, and Decision reads a TimeSpan of -1 tick as null: no RetryAfter.
            return new Decision(limits[first].Limited, longest < 0 ? null : TimeSpan.FromTicks(longest));
        }
    }

    private enum Settled
    {
        Retry,
        Denied,
        Fits,
        Spent,
    }

    /// <summary>
    /// Locks the existing counters in id order and checks every limit, a missing counter as an empty window;
    /// spends on all of them when everything fits and <paramref name="spend"/> says no counter is missing.
    /// When some limit lacks room: the first such limit, and the longest wait among them in ticks (-1: never).
    /// Sliding windows read the monotonic clock and calendar ones the wall clock (<see cref="LimitState.Now"/>),
    /// each once, before the locks.
    /// </summary>
    private static Settled LockAndSettle(ReadOnlySpan<LimitDefinition> limits, LimitState[] states, Span<WindowCounter?> slots, Span<int> locked,
        Span<decimal> costs, CounterStore store, bool spend, out int first, out long longest, ref SpendReceipt? receipt)
    {
        first = -1;
        longest = 0;
        long now = store.Now;
        long wall = HasCalendar(limits, states) ? store.WallNow : now;
        int held = 0;
        try
        {
            bool retired = false;
            for (; held < locked.Length; held++)
            {
                var counter = slots[locked[held]]!;
                // Stryker disable once Block,Statement,String : unreachable. A plan's limits are distinct definitions, each with its own LimitState, and a counter belongs to one state.
                if (held > 0 && ReferenceEquals(counter, slots[locked[held - 1]]))
                {
                    // Distinct limits have distinct counters; the lock is not reentrant, so fail closed rather than wait forever.
                    throw new InvalidOperationException("One counter appeared twice in a call's limits.");
                }

                counter.Enter();
                retired |= counter.Retired;
            }

            if (retired)
            {
                return Settled.Retry;
            }

            for (int i = 0; i < limits.Length; i++)
            {
                var state = states[limits[i].Index];
                if (Fits(slots[i], state, state.Calendar ? wall : now, costs[i], out long wait))
                {
                    continue;
                }

                if (first < 0)
                {
                    first = i;
                }

                longest = wait < 0 || longest < 0 ? -1 : Math.Max(longest, state.ToTimeSpan(wait).Ticks);
            }

            if (first >= 0)
            {
                return Settled.Denied;
            }

            if (!spend)
            {
                return Settled.Fits;
            }

            Span<long> times = locked.Length <= Inline ? stackalloc long[Inline] : new long[locked.Length];
            for (int k = 0; k < locked.Length; k++)
            {
                int i = locked[k];
                times[k] = slots[i]!.SpendUnsynchronized(states[limits[i].Index].Calendar ? wall : now, costs[i]);
            }

            if (store.Refunds != RefundScope.None)
            {
                receipt = SpendReceipt.For(limits, slots, locked, costs, times, store.Refunds);
            }

            return Settled.Spent;
        }
        finally
        {
            for (int i = held - 1; i >= 0; i--)
            {
                slots[locked[i]]!.Exit();
            }
        }
    }

    /// <summary>Whether a spend fits one limit now; a missing counter is an empty window. Under the counter's lock.</summary>
    private static bool Fits(WindowCounter? counter, LimitState state, long now, decimal cost, out long wait)
    {
        if (counter is not null)
        {
            return counter.TryFitUnsynchronized(now, cost, out wait);
        }

        wait = cost > state.Bounds.Max ? -1 : 0;
        return wait == 0;
    }

    private static bool HasCalendar(ReadOnlySpan<LimitDefinition> limits, LimitState[] states)
    {
        foreach (var limit in limits)
        {
            if (states[limit.Index].Calendar)
            {
                return true;
            }
        }

        return false;
    }

    private static void ReleaseCreated(Span<WindowCounter?> slots, Span<bool> created, CounterStore store)
    {
        for (int i = 0; i < slots.Length && i < created.Length; i++)
        {
            if (created[i] && slots[i] is { } counter)
            {
                store.ReleaseIfEmpty(counter);
            }
        }
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
