namespace PolicyEngine.State;

/// <summary>The in-memory <see cref="PolicyStateStore"/> (work in progress).</summary>
internal sealed class InMemoryStateStore : PolicyStateStore
{
    public InMemoryStateStore(PolicyEngineOptions options) => _ = options;

    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
}
