namespace PolicyEngine;

/// <summary>The asynchronous surface, for evaluators whose limits and approvals live in a shared <see cref="PolicyStateStore"/>.</summary>
public sealed partial class PolicyEvaluator
{
    /// <summary>
    /// Decides one tool call (docs/policy-language.md#evaluating-a-call), as <see cref="Evaluate(in ToolCall)"/> does. With the default in-memory state it
    /// completes synchronously and allocates nothing; with a shared <see cref="PolicyEngineOptions.StateStore"/> a call
    /// that reaches its limits or approval takes one round trip, however many limits it has. Never throws: a store
    /// that fails or answers later than its <see cref="PolicyStateStore.Timeout"/>, and a cancelled wait, give a deny
    /// with <see cref="DecisionCodes.StateUnavailable"/>.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Stops waiting for the store (the call is then denied).</param>
    /// <returns>The decision.</returns>
    public ValueTask<Decision> EvaluateAsync(ToolCall call, CancellationToken cancellationToken = default)
    {
        var decision = Decide(in call, out var work);
        if (work is null)
        {
            Volatile.Read(ref _candidate)?.Observe(in call, in decision);
            return new(decision);
        }

        var pending = _gate!.CompleteAsync(work, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            decision = pending.Result;
            Volatile.Read(ref _candidate)?.Observe(in call, in decision);
            return new(decision);
        }

        // Without a candidate policy there is nothing to observe: the store's answer goes straight back (one state machine
        // fewer). A candidate set while this call waits does not see it; it sees the calls made after it was set.
        return Volatile.Read(ref _candidate) is null ? pending : ObserveAsync(pending, call);
    }

    private async ValueTask<Decision> ObserveAsync(ValueTask<Decision> pending, ToolCall call)
    {
        var decision = await pending.ConfigureAwait(false);
        Volatile.Read(ref _candidate)?.Observe(in call, in decision);
        return decision;
    }

    /// <summary>
    /// <see cref="Refund(in Decision)"/> without blocking: with a shared store, one round trip. Returns
    /// <see langword="false"/> also when the store failed, and the spend then stays counted (never more than max).
    /// </summary>
    /// <param name="decision">The decision the call got.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>Whether this call gave the spend back.</returns>
    public ValueTask<bool> RefundAsync(Decision decision, CancellationToken cancellationToken = default) =>
        decision.Receipt is { } receipt ? receipt.TryRefundAsync(cancellationToken) : new(false);

    /// <summary><see cref="Approve(string)"/>, against a shared store without blocking.</summary>
    /// <param name="approvalId">The id from <see cref="Decision.ApprovalId"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>Whether the request was pending and is now approved.</returns>
    /// <exception cref="TimeoutException">The shared store did not answer within its timeout.</exception>
    public ValueTask<bool> ApproveAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        if (_gate is null)
        {
            return new(Approve(approvalId));
        }

        var policy = Volatile.Read(ref _snapshot).Policy;
        var now = _options.TimeProvider.GetUtcNow();
        return _gate.RunAsync((store, ct) => store.ApproveAsync(approvalId, policy.Fingerprint, policy.ApprovalTtl, now, ct), cancellationToken);
    }

    /// <summary><see cref="Deny(string)"/>, against a shared store without blocking.</summary>
    /// <param name="approvalId">The id from <see cref="Decision.ApprovalId"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>Whether the request was pending.</returns>
    /// <exception cref="TimeoutException">The shared store did not answer within its timeout.</exception>
    public ValueTask<bool> DenyAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        if (_gate is null)
        {
            return new(Deny(approvalId));
        }

        var now = _options.TimeProvider.GetUtcNow();
        return _gate.RunAsync((store, ct) => store.DenyAsync(approvalId, now, ct), cancellationToken);
    }

    /// <summary><see cref="Revoke(string)"/>, against a shared store without blocking.</summary>
    /// <param name="approvalId">The approved id.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>Whether an unspent approval was withdrawn.</returns>
    /// <exception cref="TimeoutException">The shared store did not answer within its timeout.</exception>
    public ValueTask<bool> RevokeAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        if (_gate is null)
        {
            return new(Revoke(approvalId));
        }

        var now = _options.TimeProvider.GetUtcNow();
        return _gate.RunAsync((store, ct) => store.RevokeAsync(approvalId, now, ct), cancellationToken);
    }

    /// <summary><see cref="GetPendingApprovals"/>, against a shared store without blocking: the requests of every replica.</summary>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>The pending requests made under the policy in force, oldest first.</returns>
    /// <exception cref="TimeoutException">The shared store did not answer within its timeout.</exception>
    public ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(CancellationToken cancellationToken = default)
    {
        if (_gate is null)
        {
            return new(GetPendingApprovals());
        }

        string fingerprint = Volatile.Read(ref _snapshot).Policy.Fingerprint;
        var now = _options.TimeProvider.GetUtcNow();
        return _gate.RunAsync((store, ct) => store.GetPendingApprovalsAsync(fingerprint, now, ct), cancellationToken);
    }

    /// <summary>The synchronous members over a shared store: they block for one round trip, bounded by the store's timeout.</summary>
    private static T Block<T>(ValueTask<T> pending) => pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
