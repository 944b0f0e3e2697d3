namespace PolicyEngine;

/// <summary>
/// Everything one call asks of a <see cref="PolicyStateStore"/> (<see cref="PolicyStateStore.AcquireAsync"/>): its
/// limit charges and, when the policy requires approval, the grant to take or the request to record. Made by the engine.
/// </summary>
public sealed class StateRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="charges">The charges, in the order of the call's limits (docs/policy-language.md#evaluating-a-call step 6).</param>
    /// <param name="now">The evaluator's clock.</param>
    /// <param name="policyFingerprint">The fingerprint of the policy that decided the call.</param>
    public StateRequest(IReadOnlyList<LimitCharge> charges, DateTimeOffset now, string policyFingerprint)
    {
        ArgumentNullException.ThrowIfNull(charges);
        ArgumentNullException.ThrowIfNull(policyFingerprint);
        Charges = charges;
        Now = now;
        PolicyFingerprint = policyFingerprint;
    }

    /// <summary>The limits' charges, in the call's limit order; <see cref="StateVerdict.LimitIndex"/> indexes them.</summary>
    public IReadOnlyList<LimitCharge> Charges { get; }

    /// <summary>The evaluator's clock when it decided the call (a store with a clock of its own may ignore it).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The fingerprint of the policy in force: grants and requests belong to it.</summary>
    public string PolicyFingerprint { get; }

    /// <summary>The approval grant the call needs, taken and spent only when every limit has room; <see langword="null"/> when it needs none.</summary>
    public string? GrantId { get; init; }

    /// <summary>The request to record (or refresh) when the grant is missing; set with <see cref="GrantId"/>.</summary>
    public PendingApproval? Pending { get; init; }

    /// <summary>
    /// With <see cref="GrantId"/>: the call will be denied even with its grant (its cost cannot be read, docs/policy-language.md#evaluating-a-call step 6),
    /// so a grant that is there is left in place and the answer is <see cref="StateVerdictKind.Acquired"/> with nothing
    /// spent; a missing one is asked for as usual. <see cref="Charges"/> is then empty.
    /// </summary>
    public bool KeepGrant { get; init; }

    /// <summary>
    /// The session that <see cref="Pending"/> counts against for <see cref="MaxPendingApprovalsPerSession"/>: the session id,
    /// or a digest of it when it is longer than 64 characters (<see cref="PendingApproval.SessionId"/> is only a preview).
    /// </summary>
    public string? SessionKey { get; init; }

    /// <summary>The policy's <c>approval_ttl</c>: how long a recorded request stays pending.</summary>
    public TimeSpan ApprovalTtl { get; init; }

    /// <summary>The most pending requests the store keeps in all (<see cref="PolicyEngineOptions.MaxPendingApprovals"/>).</summary>
    public int MaxPendingApprovals { get; init; } = 10_000;

    /// <summary>The most pending requests one session keeps; the oldest goes beyond it (<see cref="PolicyEngineOptions.MaxPendingApprovalsPerSession"/>).</summary>
    public int MaxPendingApprovalsPerSession { get; init; } = 16;
}
