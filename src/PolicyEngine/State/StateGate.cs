using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using PolicyEngine.Approvals;
using PolicyEngine.Evaluation;
using PolicyEngine.Limits;
using PolicyEngine.DecisionTree;
using PolicyEngine.Arguments;

namespace PolicyEngine.State;

/// <summary>
/// docs/policy-language.md#evaluating-a-call steps 5–7 against a shared <see cref="PolicyStateStore"/>: builds the call's one request, asks the store once,
/// and turns the answer into the decision the in-memory path would give. Fails closed: a store that throws, answers
/// late (<see cref="PolicyStateStore.Timeout"/>) or answers nonsense gives <see cref="DecisionCodes.StateUnavailable"/>,
/// and opens the <see cref="StoreBreaker"/>. Calls decided without state never reach here.
/// </summary>
internal sealed partial class StateGate
{
    private readonly PolicyEngineOptions _options;
    private readonly StoreBreaker _breaker;
    private readonly TimeSpan _timeout;
    private readonly ILogger? _logger;

    public StateGate(PolicyStateStore store, PolicyEngineOptions options)
    {
        Store = store;
        _options = options;
        _timeout = store.Timeout;
        if (_timeout != System.Threading.Timeout.InfiniteTimeSpan && _timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _timeout, "The state store's Timeout must be positive or infinite.");
        }

        var breakDuration = store.BreakDuration;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(breakDuration, TimeSpan.Zero, nameof(PolicyStateStore.BreakDuration));
        _breaker = new StoreBreaker(breakDuration);
        Denials = new DeniedCache(options.TimeProvider, options.MaxTrackedLimitKeys);
        _logger = options.Logger;
    }

    public PolicyStateStore Store { get; }

    public DeniedCache Denials { get; }

    /// <summary>
    /// Builds the work for a call that reached the approval or limit stage. Returns a decision instead when none is
    /// needed: a cost that cannot be read on a call that needs no approval is <c>indeterminate</c> without asking.
    /// </summary>
    public Decision? Prepare(EngineSnapshot snapshot, ToolPlan plan, in EvalContext ctx, DecisionOutcome? approval, out StateWork? work)
    {
        work = null;
        var policy = snapshot.Policy;
        var limits = plan.Limits;
        var charges = new LimitCharge[limits.Length];
        DecisionOutcome? indeterminate = null;
        for (int i = 0; i < limits.Length; i++)
        {
            var limit = limits[i];
            if (!limit.TryGetCost(in ctx, out decimal cost))
            {
                indeterminate = limit.Indeterminate;
                break;
            }

            decimal max = snapshot.States[limit.Index].Bounds.Max;
            var fold = !limit.Calendar && max > LimitBounds.ExactCountMax ? TimeSpan.FromTicks(limit.Window.Ticks / LimitBounds.Granularity) : TimeSpan.Zero;
            charges[i] = new LimitCharge(limit.StableId, limit.PartitionKey(in ctx), limit.Window, limit.Calendar, max, cost, fold,
                SpendReceipt.Covers(_options.Refunds, limit));
        }

        if (indeterminate is not null && approval is null)
        {
            return new Decision(indeterminate);
        }

        var now = _options.TimeProvider.GetUtcNow();
        string? approvalId = null;
        PendingApproval? pending = null;
        if (approval is not null)
        {
            ref readonly ToolCall call = ref ctx.Call;
            string arguments = ApprovalIds.CanonicalArguments(in call);
            approvalId = ApprovalIds.For(policy.Compiled, in call, arguments);
            pending = new PendingApproval(approvalId, call.Tool!, PendingIndex.SessionPreview(call.SessionId ?? ""),
                PendingIndex.ArgumentsPreview(arguments, out bool truncated), approval.Rule, approval.Message, now, now + policy.ApprovalTtl, truncated);
        }

        work = new StateWork
        {
            Request = new StateRequest(indeterminate is null ? charges : [], now, policy.Fingerprint)
            {
                GrantId = approvalId,
                SessionKey = approval is null ? null : PendingIndex.SessionKey(ctx.Call.SessionId ?? ""),
                Pending = pending,
                KeepGrant = indeterminate is not null,
                ApprovalTtl = policy.ApprovalTtl,
                MaxPendingApprovals = _options.MaxPendingApprovals,
                MaxPendingApprovalsPerSession = _options.MaxPendingApprovalsPerSession,
            },
            Limits = indeterminate is null ? limits.ToArray() : [],
            Allow = plan.Allow,
            Approval = approval,
            ApprovalId = approvalId,
            Indeterminate = indeterminate,
            Shadow = policy.Compiled.Shadow,
        };
        return null;
    }

    /// <summary>Asks the store and decides. Never throws.</summary>
    public ValueTask<Decision> CompleteAsync(StateWork work, CancellationToken cancellationToken)
    {
        var request = work.Request;
        if (request.GrantId is null && request.Charges.Count == 1)
        {
            var charge = request.Charges[0];
            if (charge.Cost > charge.Max)
            {
                return new(Finish(work, new Decision(work.Limits[0].Limited))); // never fits, whatever the store holds
            }

            if (Denials.IsDenied(in charge, out var wait))
            {
                return new(Finish(work, new Decision(work.Limits[0].Limited, wait)));
            }
        }

        if (!_breaker.TryPass(out var breakWait))
        {
            return new(Finish(work, Unavailable(breakWait)));
        }

        ValueTask<StateVerdict> pending;
        try
        {
            pending = Store.AcquireAsync(request, cancellationToken);
        }
#pragma warning disable CA1031 // Fail closed: whatever the store throws becomes a deny.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new(Finish(work, Failed(ex, cancellationToken)));
        }

        if (pending.IsCompletedSuccessfully)
        {
            return new(Finish(work, Decide(work, pending.Result)));
        }

        return AwaitAsync(work, pending, cancellationToken);
    }

    private async ValueTask<Decision> AwaitAsync(StateWork work, ValueTask<StateVerdict> pending, CancellationToken cancellationToken)
    {
        Decision decision;
        try
        {
            // The timeout is real time (TimeProvider.System): it bounds a wait on I/O, which a test's virtual clock never ends.
            var verdict = await pending.AsTask().WaitAsync(_timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            decision = Decide(work, verdict);
        }
#pragma warning disable CA1031 // Fail closed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            decision = Failed(ex, cancellationToken);
        }

        return Finish(work, decision);
    }

    /// <summary>The decision for a store's answer; an answer that does not fit the request is a failure of the store.</summary>
    private Decision Decide(StateWork work, StateVerdict verdict)
    {
        var request = work.Request;
        switch (verdict.Kind)
        {
            case StateVerdictKind.Acquired:
                _breaker.Succeeded();
                if (work.Indeterminate is { } indeterminate)
                {
                    return new Decision(indeterminate); // the grant is there and was left in place
                }

                var receipt = verdict.Receipt is { } r ? new SpendReceipt(this, r) : null;
                return new Decision(work.Allow, null, work.ApprovalId, receipt: receipt);

            case StateVerdictKind.Limited when verdict.LimitIndex >= 0 && verdict.LimitIndex < request.Charges.Count:
                _breaker.Succeeded();
                if (request.Charges.Count == 1 && verdict.RetryAfter is { } retry && retry > TimeSpan.Zero)
                {
                    Denials.Remember(request.Charges[0], retry);
                }

                return new Decision(work.Limits[verdict.LimitIndex].Limited, verdict.RetryAfter);

            case StateVerdictKind.GrantMissing when work.Approval is not null:
                _breaker.Succeeded();
                return new Decision(work.Approval, null, work.ApprovalId);

            default:
                return Failed(new InvalidOperationException($"The state store answered {verdict.Kind} (limit {verdict.LimitIndex}) to a request it cannot answer so."), default);
        }
    }

    private static Decision Finish(StateWork work, Decision decision) =>
        work.Shadow ? new Decision(Outcomes.Shadow, null, decision.ApprovalId, decision.Outcome, decision.Receipt) : decision;

    /// <summary>A failed or late answer: the breaker opens (unless the caller itself cancelled), and the call is denied.</summary>
    private Decision Failed(Exception ex, CancellationToken cancellationToken)
    {
        bool cancelledByCaller = cancellationToken.IsCancellationRequested && ex is OperationCanceledException;
        if (!cancelledByCaller)
        {
            _breaker.Failed();
        }

        PolicyEngineDiagnostics.StateFailures.Add(1, new KeyValuePair<string, object?>("reason", Reason(ex, cancelledByCaller)));
        if (_logger is not null)
        {
            LogStoreFailed(_logger, Reason(ex, cancelledByCaller), ex.GetType().Name, ex.Message);
        }

        return Unavailable(Store.BreakDuration);
    }

    private static string Reason(Exception ex, bool cancelledByCaller) => cancelledByCaller ? "cancelled" : ex is TimeoutException ? "timeout" : "error";

    private static Decision Unavailable(TimeSpan retryAfter) => new(Outcomes.StateUnavailable, retryAfter);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "The policy state store failed ({Reason}: {ExceptionType}: {ExceptionMessage}); calls that need limits or approvals are denied with state_unavailable until it answers again.")]
    private static partial void LogStoreFailed(ILogger logger, string reason, string exceptionType, string exceptionMessage);

    /// <summary>Gives a receipt back through the store; false when the store failed (the spend then stays counted, the safe side).</summary>
    public async ValueTask<bool> RefundAsync(StateReceipt receipt, CancellationToken cancellationToken)
    {
        foreach (var charge in receipt.Charges)
        {
            Denials.Forget(in charge);
        }

        try
        {
            await Store.RefundAsync(receipt, cancellationToken).AsTask().WaitAsync(_timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // A refund that fails leaves the spend counted: never more than max.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failed(ex, cancellationToken);
            return false;
        }
    }

    /// <summary>Runs an approval operation against the store within its timeout; a failure opens the breaker and reaches the host as the store threw it (a late answer as <see cref="TimeoutException"/>).</summary>
    public async ValueTask<T> RunAsync<T>(Func<PolicyStateStore, CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(Store, cancellationToken).AsTask().WaitAsync(_timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(ex, cancellationToken);
            ExceptionDispatchInfo.Throw(ex);
            throw;
        }
    }
}
