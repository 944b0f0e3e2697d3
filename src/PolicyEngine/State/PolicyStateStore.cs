namespace PolicyEngine;

/// <summary>
/// Where an evaluator keeps the state its decisions need: limit counters and approvals (docs/policy-language.md#limits, #approvals). The default,
/// when <see cref="PolicyEngineOptions.StateStore"/> is not set, is the evaluator's own in-memory state, which it
/// reaches without this abstraction and without allocating. A store set there is chosen once, when the evaluator is
/// built, never per call; several evaluators (replicas) that share one store share every counter and approval.
/// </summary>
/// <remarks>
/// <para>
/// An implementation must be thread-safe and must make <see cref="AcquireAsync"/> atomic: every limit of the call is
/// checked, then all are spent together with the grant, or nothing changes. The evaluator calls a store only for calls
/// that reach the limit or approval stage (docs/policy-language.md#evaluating-a-call steps 5–6): invalid, hidden, denied and default-denied calls never
/// touch it.
/// </para>
/// <para>
/// Failures are the evaluator's to handle: a store that throws, or that does not answer within <see cref="Timeout"/>,
/// makes the call a deny with <see cref="DecisionCodes.StateUnavailable"/>, and after such a failure the evaluator stops
/// asking the store for <see cref="BreakDuration"/>, so that a dead store costs one timeout per interval, not one per call.
/// </para>
/// </remarks>
public abstract class PolicyStateStore
{
    /// <summary>Creates the store.</summary>
    protected PolicyStateStore()
    {
    }

    /// <summary>How long the evaluator waits for an answer before it denies with <see cref="DecisionCodes.StateUnavailable"/>. Default: no limit.</summary>
    public virtual TimeSpan Timeout => System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>After a failure, how long the evaluator denies calls that need state without asking the store. Default 1 second.</summary>
    public virtual TimeSpan BreakDuration => TimeSpan.FromSeconds(1);

    /// <summary>
    /// Creates a store that keeps everything in this process, with the same semantics as the evaluator's default state.
    /// Useful to run code written for a shared store in one process, and as the reference a shared store is tested against.
    /// </summary>
    /// <param name="options">The clock and caps to use; <see langword="null"/> for the defaults. Checked and copied here.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static PolicyStateStore CreateInMemory(PolicyEngineOptions? options = null) =>
        new State.InMemoryStateStore((options ?? new PolicyEngineOptions()).Validated());

    /// <summary>
    /// Checks every limit of a call and spends on all of them, together with the call's approval grant when it needs one,
    /// or changes nothing. When the call needs a grant (<see cref="StateRequest.GrantId"/>) and none is there, records
    /// <see cref="StateRequest.Pending"/> and answers <see cref="StateVerdictKind.GrantMissing"/> without checking limits.
    /// </summary>
    /// <param name="request">What the call spends.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>The verdict.</returns>
    public abstract ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back what an allowed call spent (its receipt), once: spends that have left their window are not given back.
    /// Never restores an approval grant.
    /// </summary>
    /// <param name="receipt">The receipt from <see cref="StateVerdict.Receipt"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>A task that completes when the spend is given back.</returns>
    public abstract ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken);

    /// <summary>Turns a live pending request made under the policy with <paramref name="policyFingerprint"/> into a single-use grant that lives for <paramref name="ttl"/>.</summary>
    /// <param name="approvalId">The request's id.</param>
    /// <param name="policyFingerprint">The fingerprint of the policy in force; a request made under another is not approved.</param>
    /// <param name="ttl">How long the grant lives (the policy's <c>approval_ttl</c>).</param>
    /// <param name="now">The evaluator's clock (stores with a clock of their own may ignore it).</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>Whether the request was pending and is now approved.</returns>
    public abstract ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Drops a live pending request.</summary>
    /// <param name="approvalId">The request's id.</param>
    /// <param name="now">The evaluator's clock (stores with a clock of their own may ignore it).</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>Whether the request was pending.</returns>
    public abstract ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Withdraws a grant that has not been spent.</summary>
    /// <param name="approvalId">The grant's id.</param>
    /// <param name="now">The evaluator's clock (stores with a clock of their own may ignore it).</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>Whether an unspent, unexpired grant was withdrawn.</returns>
    public abstract ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The live pending requests made under the policy with <paramref name="policyFingerprint"/>, oldest first.</summary>
    /// <param name="policyFingerprint">The fingerprint of the policy in force.</param>
    /// <param name="now">The evaluator's clock (stores with a clock of their own may ignore it).</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>The requests.</returns>
    public abstract ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken);
}
