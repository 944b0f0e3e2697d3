using PolicyEngine.DecisionTree;

namespace PolicyEngine.Limits;

/// <summary>
/// The refund token of one allowed call (<see cref="PolicyEvaluator.Refund(in Decision)"/>): what it spent, on
/// exactly which counters. Shared by every copy of the <see cref="Decision"/>, and claimed once, atomically.
/// </summary>
internal sealed class SpendReceipt
{
    private readonly Spend _one;
    private readonly Spend[]? _many;
    private readonly State.StateGate? _gate; // set for a spend in a shared store, with what it spent there
    private readonly StateReceipt? _shared;
    private int _claimed;

    public SpendReceipt(Spend one) => _one = one;

    public SpendReceipt(Spend[] many) => _many = many;

    public SpendReceipt(State.StateGate gate, StateReceipt shared)
    {
        _gate = gate;
        _shared = shared;
    }

    /// <summary>Claims and gives back: in memory at once, in a shared store with one round trip (false if it failed; the spend then stays counted).</summary>
    public ValueTask<bool> TryRefundAsync(CancellationToken cancellationToken)
    {
        if (_gate is null)
        {
            return new(TryRefund());
        }

        return Interlocked.Exchange(ref _claimed, 1) != 0 ? new(false) : _gate.RefundAsync(_shared!, cancellationToken);
    }

    public bool IsOpen => Volatile.Read(ref _claimed) == 0;

    /// <summary>Whether a spend on <paramref name="limit"/> goes on the call's refund token under <paramref name="scope"/>.</summary>
    public static bool Covers(RefundScope scope, LimitDefinition limit) =>
        scope == RefundScope.AllLimits || (scope == RefundScope.CostLimits && limit.Cost is not null);

    /// <summary>The refund token of a call with several limits: its spends on refundable limits; null when it has none. One object for one spend. Under the counters' locks, with <paramref name="times"/> as each recorded its spend (in <paramref name="locked"/> order).</summary>
    public static SpendReceipt? For(ReadOnlySpan<LimitDefinition> limits, Span<WindowCounter?> slots, Span<int> locked, Span<decimal> costs,
        Span<long> times, RefundScope scope)
    {
        int count = 0;
        // Stryker disable once Unary : equivalent. It is read only when count is 1, and the loop has set it then.
        int only = -1;
        for (int k = 0; k < locked.Length; k++)
        {
            if (costs[locked[k]] > 0 && Covers(scope, limits[locked[k]]))
            {
                count++;
                only = k;
            }
        }

        if (
            // Stryker disable once Equality : equivalent. One spend in a one-element array is given back exactly as a lone one is.
            count <= 1)
        {
            return count == 0 ? null : new SpendReceipt(new Spend(slots[locked[only]]!, times[only], costs[locked[only]]));
        }

        var spends = new Spend[count];
        int n = 0;
        for (int k = 0; k < locked.Length; k++)
        {
            int i = locked[k];
            if (costs[i] > 0 && Covers(scope, limits[i]))
            {
                spends[n++] = new Spend(slots[i]!, times[k], costs[i]);
            }
        }

        return new SpendReceipt(spends);
    }

    /// <summary>
    /// Gives every spend back, once: true for the first call only. Each counter is locked on its own (never two at
    /// once, so no lock order is needed); a concurrent call may see some counters refunded before others, which only
    /// ever denies it, never allows more than max.
    /// </summary>
    public bool TryRefund()
    {
        if (_gate is not null)
        {
            return TryRefundAsync(default).AsTask().GetAwaiter().GetResult(); // a shared store: blocks for one round trip, bounded by its timeout
        }

        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return false;
        }

        if (_many is null)
        {
            GiveBack(_one);
        }
        else
        {
            foreach (var spend in _many)
            {
                GiveBack(spend);
            }
        }

        return true;
    }

    private static void GiveBack(in Spend spend)
    {
        var counter = spend.Counter;
        counter.Enter();
        try
        {
            if (!counter.Retired)
            {
                counter.RefundUnsynchronized(spend.At, spend.Amount); // a retired counter's spends already left, or its limit was dropped
            }
        }
        finally
        {
            counter.Exit();
        }
    }
}
