namespace PolicyEngine.Tests.State;

/// <summary>
/// A <see cref="PolicyStateStore"/> in front of the in-memory one that counts what reaches it and can be told to fail:
/// throw, never answer, answer late, or answer nonsense. Stands for a shared store that goes down.
/// </summary>
public sealed class ScriptedStore(PolicyStateStore inner, TimeSpan timeout) : PolicyStateStore
{
    private int _acquires;

    public enum Mode
    {
        Healthy,
        Throw,
        Hang,
        Nonsense,
    }

    public Mode Behaviour { get; set; }

    public int Acquires => Volatile.Read(ref _acquires);

    public StateRequest? LastRequest { get; private set; }

    public override TimeSpan Timeout => timeout;

    public override TimeSpan BreakDuration => TimeSpan.FromMilliseconds(300);

    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _acquires);
        LastRequest = request;
        return Behaviour switch
        {
            Mode.Throw => throw new IOException("connection refused"),
            Mode.Hang => new ValueTask<StateVerdict>(new TaskCompletionSource<StateVerdict>().Task),
            Mode.Nonsense => new ValueTask<StateVerdict>(StateVerdict.Limited(request.Charges.Count + 3, null)),
            _ => inner.AcquireAsync(request, cancellationToken),
        };
    }

    public override ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken) => inner.RefundAsync(receipt, cancellationToken);

    public override ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        Behaviour == Mode.Healthy ? inner.ApproveAsync(approvalId, policyFingerprint, ttl, now, cancellationToken) : throw new IOException("connection refused");

    public override ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => inner.DenyAsync(approvalId, now, cancellationToken);

    public override ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => inner.RevokeAsync(approvalId, now, cancellationToken);

    public override ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.GetPendingApprovalsAsync(policyFingerprint, now, cancellationToken);
}
