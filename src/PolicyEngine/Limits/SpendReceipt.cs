namespace PolicyEngine.Limits;

/// <summary>One spend of an allowed call: the counter, the time the counter recorded it at, and the amount.</summary>
internal readonly record struct Spend(WindowCounter Counter, long At, decimal Amount);

/// <summary>
/// The refund token of one allowed call (<see cref="PolicyEvaluator.Refund(in Decision)"/>): what it spent, on
/// exactly which counters. Shared by every copy of the <see cref="Decision"/>, and claimed once, atomically.
/// </summary>
internal sealed class SpendReceipt
{
    private readonly Spend _one;
    private readonly Spend[]? _many;
    private int _claimed;

    public SpendReceipt(Spend one) => _one = one;

    public SpendReceipt(Spend[] many) => _many = many;

    public bool IsOpen => Volatile.Read(ref _claimed) == 0;

    /// <summary>
    /// Gives every spend back, once: true for the first call only. Each counter is locked on its own (never two at
    /// once, so no lock order is needed); a concurrent call may see some counters refunded before others, which only
    /// ever denies it, never allows more than max.
    /// </summary>
    public bool TryRefund()
    {
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
                counter.Refund(spend.At, spend.Amount); // a retired counter's spends already left, or its limit was dropped
            }
        }
        finally
        {
            counter.Exit();
        }
    }
}
