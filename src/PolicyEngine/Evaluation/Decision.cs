using PolicyEngine.DecisionTree;

namespace PolicyEngine;

/// <summary>
/// The answer to one tool call. A small immutable value: the fixed outcome is shared, so returning a
/// decision allocates nothing.
/// </summary>
public readonly struct Decision : IEquatable<Decision>
{
    private readonly DecisionOutcome? _outcome;
    private readonly long _retryAfterTicks;

    internal Decision(DecisionOutcome outcome, TimeSpan? retryAfter = null, string? approvalId = null, DecisionOutcome? shadowed = null,
        Limits.SpendReceipt? receipt = null)
    {
        Receipt = receipt;
        _outcome = outcome;
        _retryAfterTicks = retryAfter is { } r ? r.Ticks : -1;
        ApprovalId = approvalId;
        Shadowed = shadowed;
    }

    /// <summary>The fixed part of this decision. A default <see cref="Decision"/> reads as an internal-error deny.</summary>
    public DecisionOutcome Outcome => _outcome ?? Outcomes.InternalError;

    /// <summary>Allow, deny or require approval.</summary>
    public PolicyEffect Effect => Outcome.Effect;

    /// <summary><see langword="true"/> when the call may run now.</summary>
    public bool IsAllowed => Outcome.Effect == PolicyEffect.Allow;

    /// <summary>One of <see cref="DecisionCodes"/>.</summary>
    public string Code => Outcome.Code;

    /// <summary>The JSON Pointer of the rule that decided, or <see langword="null"/> for an invalid call.</summary>
    public string? Rule => Outcome.Rule;

    /// <summary>The message to show: the policy's own where it gives one, else the engine's sentence.</summary>
    public string? Message => Outcome.Message;

    /// <summary>
    /// For <see cref="DecisionCodes.RateLimited"/>: how long until the call would fit every exhausted limit,
    /// assuming no other calls; <see langword="null"/> when it can never fit, or for other codes.
    /// </summary>
    public TimeSpan? RetryAfter => _retryAfterTicks >= 0 ? TimeSpan.FromTicks(_retryAfterTicks) : null;

    /// <summary>For <see cref="DecisionCodes.ApprovalRequired"/> (also when shadowed): the id a person approves.</summary>
    public string? ApprovalId { get; }

    /// <summary>In shadow mode: the decision the policy computed, which was reported but not enforced.</summary>
    public DecisionOutcome? Shadowed { get; }

    /// <summary>
    /// Whether <see cref="PolicyEvaluator.Refund(in Decision)"/> would give this call's limit spend back now: the call
    /// was allowed, spent on a limit that <see cref="PolicyEngineOptions.Refunds"/> covers, and no copy of this
    /// decision has been refunded yet.
    /// </summary>
    public bool IsRefundable => Receipt?.IsOpen == true;

    /// <summary>The refund token, shared by every copy of this decision; null when there is nothing to refund.</summary>
    internal Limits.SpendReceipt? Receipt { get; }

    /// <summary>Whether two decisions say the same: outcome, retry-after, approval id and shadowed outcome. The refund token is not compared.</summary>
    /// <param name="other">The other decision.</param>
    /// <returns><see langword="true"/> when they say the same.</returns>
    public bool Equals(Decision other) =>
        ReferenceEquals(Outcome, other.Outcome) && _retryAfterTicks == other._retryAfterTicks &&
        string.Equals(ApprovalId, other.ApprovalId, StringComparison.Ordinal) && ReferenceEquals(Shadowed, other.Shadowed);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Decision d && Equals(d);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Outcome, _retryAfterTicks, ApprovalId, Shadowed);

    /// <summary>Compares two decisions.</summary>
    public static bool operator ==(Decision left, Decision right) => left.Equals(right);

    /// <summary>Compares two decisions.</summary>
    public static bool operator !=(Decision left, Decision right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Outcome.ToString();
}
