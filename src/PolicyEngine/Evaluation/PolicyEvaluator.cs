using PolicyEngine.Approvals;
using PolicyEngine.Evaluation;
using PolicyEngine.Limits;
using PolicyEngine.State;
using PolicyEngine.DecisionTree;

namespace PolicyEngine;

/// <summary>
/// Decides tool calls against a compiled <see cref="Policy"/> and keeps the state that decisions need:
/// sliding-window limit counters and human approvals. Thread-safe; <see cref="Evaluate(in ToolCall)"/>
/// never throws, takes no lock on the stateless path and allocates nothing on its common paths.
/// </summary>
public sealed partial class PolicyEvaluator : IDisposable
{
    private readonly PolicyEngineOptions _options;
    private readonly CounterStore _counters;
    private readonly ApprovalStore _approvals;
    private readonly StateGate? _gate; // set when a shared store keeps limits and approvals
    private readonly Lock _reloadLock = new();
    private EngineSnapshot _snapshot;

    /// <summary>Creates an evaluator for a policy.</summary>
    /// <param name="policy">The compiled policy.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults. They are checked and copied here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PolicyEvaluator(Policy policy, PolicyEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _options = (options ?? new PolicyEngineOptions()).Validated();
        _counters = new CounterStore(_options);
        _approvals = new ApprovalStore(_options, policy.Fingerprint);
        _gate = _options.StateStore is { } store ? new StateGate(store, _options) : null;
        _snapshot = EngineSnapshot.Create(policy, previous: null, _counters);
    }

    /// <summary>The policy in force now.</summary>
    public Policy Policy => Volatile.Read(ref _snapshot).Policy;

    /// <summary>How many limit counters are tracked now in this process (bounded by <see cref="PolicyEngineOptions.MaxTrackedLimitKeys"/>); 0 with a shared <see cref="PolicyEngineOptions.StateStore"/>.</summary>
    public int TrackedLimitKeys => _counters.Count;

    /// <summary>
    /// Decides one tool call (docs/policy-language.md#evaluating-a-call). Never throws: an internal fault becomes a deny with
    /// <see cref="DecisionCodes.InternalError"/>. Spends limits and approvals only when the call is allowed.
    /// With a shared <see cref="PolicyEngineOptions.StateStore"/>, a call that reaches its limits or approval blocks this
    /// thread for one round trip to the store, at most <see cref="PolicyStateStore.Timeout"/>: prefer
    /// <see cref="EvaluateAsync"/> there. Calls decided without state never wait.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <returns>The decision.</returns>
    public Decision Evaluate(in ToolCall call)
    {
        // The try sits here, not in a helper: a method with a handler is not inlined, and the extra frame cost the
        // fastest paths a fifth of their time.
        Decision decision;
        StateWork? work;
        try
        {
            decision = CallEvaluator.Evaluate(Volatile.Read(ref _snapshot), in call, _approvals, _counters, _options, _gate, out work);
        }
#pragma warning disable CA1031 // Fail closed: the host must never see an exception from Evaluate.
        catch (Exception)
#pragma warning restore CA1031
        {
            decision = new Decision(Outcomes.InternalError);
            work = null;
        }

        if (work is not null)
        {
            decision = Complete(work);
        }

        // A candidate policy decides the call after, on its own state, and never changes what is returned.
        Volatile.Read(ref _candidate)?.Observe(in call, in decision);
        return decision;
    }

    /// <summary>
    /// Gives back the limit spend of an allowed call whose tool then failed, so that a failed transfer does not eat
    /// the budget. Exactly once per call, whichever copy of the decision is passed; only for the limits
    /// <see cref="PolicyEngineOptions.Refunds"/> covers; removes exactly that call's spend from exactly the counters it
    /// spent on (a spend that has already left its window, or whose limit a reload dropped, has nothing left to give
    /// back). Never restores a spent approval, and does nothing for a denied call. Safe to call concurrently with
    /// <see cref="Evaluate(in ToolCall)"/> and <see cref="Reload(Policy)"/>: a limit that a reload kept keeps the spend to refund.
    /// </summary>
    /// <param name="decision">The decision <see cref="Evaluate(in ToolCall)"/> returned for the call.</param>
    /// <returns><see langword="true"/> if this call gave the spend back; <see langword="false"/> if the decision has
    /// nothing to refund (see <see cref="Decision.IsRefundable"/>) or was refunded before.</returns>
    public bool Refund(in Decision decision) => decision.Receipt?.TryRefund() == true;

    /// <summary>Waits for a shared store's answer (never throws; bounded by the store's timeout).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Decision Complete(StateWork work)
    {
        var pending = _gate!.CompleteAsync(work, default);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The steps that need no store; a call left for a shared store comes back as <paramref name="work"/>.</summary>
    private Decision Decide(in ToolCall call, out StateWork? work)
    {
        try
        {
            return CallEvaluator.Evaluate(Volatile.Read(ref _snapshot), in call, _approvals, _counters, _options, _gate, out work);
        }
#pragma warning disable CA1031 // Fail closed: the host must never see an exception from Evaluate.
        catch (Exception)
#pragma warning restore CA1031
        {
            work = null;
            return new Decision(Outcomes.InternalError);
        }
    }

    /// <summary>
    /// Puts a new policy in force, atomically: every evaluation sees one whole policy. A limit whose block,
    /// <c>window</c>, <c>per</c> and <c>cost</c> are unchanged keeps its counters, wherever it now stands in its
    /// block, and a changed <c>max</c> applies at once to what its window holds; other limits start fresh.
    /// When the policy changes (another fingerprint), pending requests and unspent approvals made under the
    /// old one are dropped: they can no longer be listed, approved or spent, not even after reloading back.
    /// </summary>
    /// <param name="policy">The new policy (already validated by construction).</param>
    public void Reload(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_reloadLock)
        {
            var next = EngineSnapshot.Create(policy, Volatile.Read(ref _snapshot), _counters);
            Volatile.Write(ref _snapshot, next);
            _approvals.PolicyChanged(policy.Fingerprint);
        }
    }

    /// <summary>
    /// The approval id this call would get under the policy in force: a stable hash of the policy's
    /// fingerprint, the session, the tool and the canonical arguments. <see langword="null"/> for an invalid call.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <returns>The id, or <see langword="null"/>.</returns>
    public string? GetApprovalId(in ToolCall call) =>
        CallValidator.Validate(in call, _options) is null
            ? ApprovalIds.For(Volatile.Read(ref _snapshot).Policy.Compiled, in call)
            : null;

    /// <summary>
    /// Approves a pending request. The next call in the same session to the same tool with the same
    /// canonical arguments passes the approval stage once, within the policy's <c>approval_ttl</c>.
    /// </summary>
    /// <param name="approvalId">The id from <see cref="Decision.ApprovalId"/>.</param>
    /// <returns>
    /// <see langword="false"/> when the id is not pending (never asked for, expired, already approved or spent,
    /// or asked for under a policy that a reload has replaced).
    /// </returns>
    public bool Approve(string approvalId)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        if (_gate is not null)
        {
            return Block(ApproveAsync(approvalId));
        }

        var policy = Volatile.Read(ref _snapshot).Policy;
        var pending = PendingForCandidate(approvalId);
        var approved = _approvals.Approve(approvalId, policy.ApprovalTtl, policy.Fingerprint);
        MirrorApproval(approved, pending);
        return approved;
    }

    /// <summary>Rejects a pending request: it is dropped and cannot be approved any more.</summary>
    /// <param name="approvalId">The id from <see cref="Decision.ApprovalId"/>.</param>
    /// <returns><see langword="false"/> when the id is not pending.</returns>
    public bool Deny(string approvalId)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        return _gate is null ? _approvals.Deny(approvalId) : Block(DenyAsync(approvalId));
    }

    /// <summary>
    /// Withdraws an approval that has been given but not yet spent. If a call is using the approval at this
    /// moment, waits for its outcome: when that call ran, the revoke has lost and returns <see langword="false"/>;
    /// when a limit denied it, the revoke wins. A revoked approval is never restored.
    /// </summary>
    /// <param name="approvalId">The approved id.</param>
    /// <returns><see langword="false"/> when there is no unspent approval for the id.</returns>
    public bool Revoke(string approvalId)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        return _gate is null ? _approvals.Revoke(approvalId) : Block(RevokeAsync(approvalId));
    }

    /// <summary>The requests waiting for a person now, oldest first, so a host can show them.</summary>
    /// <returns>A snapshot of the pending requests.</returns>
    public IReadOnlyList<PendingApproval> GetPendingApprovals() => _gate is null ? _approvals.ListPending() : Block(GetPendingApprovalsAsync());

    /// <summary>Whether the policy in force hides a tool (docs/policy-language.md#the-document <c>hide</c>); hidden tools are denied and left out of tool lists.</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <returns><see langword="true"/> when a <c>hide</c> pattern matches.</returns>
    public bool IsHidden(string toolName)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        return Volatile.Read(ref _snapshot).Policy.Compiled.IsHidden(toolName);
    }

    /// <summary>The tools a server lists, less the hidden ones, in their order.</summary>
    /// <typeparam name="T">The tool type, e.g. the MCP SDK's <c>Tool</c>.</typeparam>
    /// <param name="tools">The tools as listed.</param>
    /// <param name="nameOf">How to read a tool's name.</param>
    /// <returns>The visible tools.</returns>
    public IReadOnlyList<T> FilterTools<T>(IEnumerable<T> tools, Func<T, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(nameOf);
        var policy = Volatile.Read(ref _snapshot).Policy.Compiled;
        return tools.Where(t => !policy.IsHidden(nameOf(t))).ToList();
    }

    /// <summary>Releases the counter cache if the evaluator created it, and the candidate's.</summary>
    public void Dispose()
    {
        _counters.Dispose();
        ClearCandidate();
    }
}
