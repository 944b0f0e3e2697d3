namespace PolicyEngine;

/// <summary>A call waiting for a person's approval, as a host shows it (see <see cref="PolicyEvaluator.GetPendingApprovals"/>).</summary>
public sealed class PendingApproval
{
    /// <summary>Creates a request as a host shows it; <see cref="PolicyStateStore"/> implementations rebuild stored requests with it.</summary>
    /// <param name="approvalId">The request's id.</param>
    /// <param name="tool">The tool.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="arguments">The preview of the canonical arguments.</param>
    /// <param name="rule">The rule that asked for approval.</param>
    /// <param name="message">The rule's message.</param>
    /// <param name="requestedAt">When it was asked for.</param>
    /// <param name="expiresAt">When it stops being approvable.</param>
    /// <param name="argumentsTruncated">Whether <paramref name="arguments"/> is cut short.</param>
    public PendingApproval(string approvalId, string tool, string sessionId, string arguments, string? rule, string? message, DateTimeOffset requestedAt, DateTimeOffset expiresAt, bool argumentsTruncated)
    {
        ArgumentsTruncated = argumentsTruncated;
        ApprovalId = approvalId;
        Tool = tool;
        SessionId = sessionId;
        Arguments = arguments;
        Rule = rule;
        Message = message;
        RequestedAt = requestedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The id to pass to <see cref="PolicyEvaluator.Approve(string)"/> or <see cref="PolicyEvaluator.Deny(string)"/>.</summary>
    public string ApprovalId { get; }

    /// <summary>The tool the call is for.</summary>
    public string Tool { get; }

    /// <summary>The session the call came from: its first 64 characters when it is longer.</summary>
    public string SessionId { get; }

    /// <summary>
    /// The call's arguments as RFC 8785 canonical JSON (numbers kept exact): the first 128 characters when it is
    /// longer (see <see cref="ArgumentsTruncated"/>). The approval is bound to the whole arguments through
    /// <see cref="ApprovalId"/>; the engine keeps only this preview, so a pending request costs little memory
    /// whatever the call's size.
    /// </summary>
    public string Arguments { get; }

    /// <summary>Whether <see cref="Arguments"/> is cut short: the arguments are longer than the preview the engine keeps.</summary>
    public bool ArgumentsTruncated { get; }

    /// <summary>The rule that asked for approval.</summary>
    public string? Rule { get; }

    /// <summary>The rule's reason, or the engine's sentence.</summary>
    public string? Message { get; }

    /// <summary>When the call last asked for approval (wall clock of the evaluator's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset RequestedAt { get; }

    /// <summary>When the request lapses unless approved.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
