namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>Passes everything to a real store and counts how often the evaluator asked it to acquire: the round trips a call costs.</summary>
internal sealed class CountingStore(PolicyStateStore inner) : PolicyStateStore
{
    private int _acquires;

    public int Acquires => Volatile.Read(ref _acquires);

    public override TimeSpan Timeout => inner.Timeout;

    public override TimeSpan BreakDuration => inner.BreakDuration;

    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _acquires);
        return inner.AcquireAsync(request, cancellationToken);
    }

    public override ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken) => inner.RefundAsync(receipt, cancellationToken);

    public override ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ApproveAsync(approvalId, policyFingerprint, ttl, now, cancellationToken);

    public override ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => inner.DenyAsync(approvalId, now, cancellationToken);

    public override ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => inner.RevokeAsync(approvalId, now, cancellationToken);

    public override ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.GetPendingApprovalsAsync(policyFingerprint, now, cancellationToken);
}
