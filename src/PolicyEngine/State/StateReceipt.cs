namespace PolicyEngine;

/// <summary>
/// What an allowed call spent on refundable limits in a <see cref="PolicyStateStore"/>, so that
/// <see cref="PolicyStateStore.RefundAsync"/> can give exactly that back. The engine claims it once.
/// </summary>
public sealed class StateReceipt
{
    /// <summary>Creates a receipt.</summary>
    /// <param name="charges">The refundable charges spent.</param>
    /// <param name="recordedAt">For each charge, the time its counter recorded the spend at, in the store's own units.</param>
    public StateReceipt(IReadOnlyList<LimitCharge> charges, IReadOnlyList<long> recordedAt)
    {
        ArgumentNullException.ThrowIfNull(charges);
        ArgumentNullException.ThrowIfNull(recordedAt);
        if (charges.Count != recordedAt.Count)
        {
            throw new ArgumentException("There must be one recorded time per charge.", nameof(recordedAt));
        }

        Charges = charges;
        RecordedAt = recordedAt;
    }

    /// <summary>The refundable charges spent.</summary>
    public IReadOnlyList<LimitCharge> Charges { get; }

    /// <summary>For each charge, when its counter recorded the spend, in the store's units.</summary>
    public IReadOnlyList<long> RecordedAt { get; }
}
