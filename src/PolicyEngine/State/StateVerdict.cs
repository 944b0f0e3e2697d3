namespace PolicyEngine;

/// <summary>The answer of <see cref="PolicyStateStore.AcquireAsync"/>.</summary>
public readonly struct StateVerdict
{
    private StateVerdict(StateVerdictKind kind, int limitIndex, TimeSpan? retryAfter, StateReceipt? receipt)
    {
        Kind = kind;
        LimitIndex = limitIndex;
        RetryAfter = retryAfter;
        Receipt = receipt;
    }

    /// <summary>The answer.</summary>
    public StateVerdictKind Kind { get; }

    /// <summary>For <see cref="StateVerdictKind.Limited"/>: the index in <see cref="StateRequest.Charges"/> of the first limit that lacked room; else -1.</summary>
    public int LimitIndex { get; }

    /// <summary>For <see cref="StateVerdictKind.Limited"/>: the longest wait among the limits that lacked room, or <see langword="null"/> when one can never fit (its cost is above its max).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For <see cref="StateVerdictKind.Acquired"/>: what a refund gives back, or <see langword="null"/> when no refundable amount was spent.</summary>
    public StateReceipt? Receipt { get; }

    /// <summary>Every limit was spent.</summary>
    /// <param name="receipt">The refundable spends, or <see langword="null"/>.</param>
    /// <returns>The verdict.</returns>
    public static StateVerdict Acquired(StateReceipt? receipt) => new(StateVerdictKind.Acquired, -1, null, receipt);

    /// <summary>A limit lacked room.</summary>
    /// <param name="limitIndex">The first limit that lacked room.</param>
    /// <param name="retryAfter">The longest wait, or <see langword="null"/> for never.</param>
    /// <returns>The verdict.</returns>
    public static StateVerdict Limited(int limitIndex, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitIndex);
        return new(StateVerdictKind.Limited, limitIndex, retryAfter, null);
    }

    /// <summary>The grant was missing and the request was recorded.</summary>
    public static StateVerdict GrantMissing { get; } = new(StateVerdictKind.GrantMissing, -1, null, null);
}
