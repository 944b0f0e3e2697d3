namespace PolicyEngine;

/// <summary>
/// The fixed part of a decision: effect, code, the rule that decided and its message.
/// An outcome is created once per rule (the first time that rule decides a call) and then shared by every
/// decision that reaches it, so deciding allocates nothing after a rule's first use.
/// </summary>
public sealed class DecisionOutcome
{
    internal DecisionOutcome(PolicyEffect effect, string code, string? rule, string? message)
    {
        Effect = effect;
        Code = code;
        Rule = rule;
        Message = message;
    }

    /// <summary>Allow, deny or require approval.</summary>
    public PolicyEffect Effect { get; }

    /// <summary>One of <see cref="DecisionCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The JSON Pointer (RFC 6901) of the rule that decided, or <see langword="null"/> for an invalid call.</summary>
    public string? Rule { get; }

    /// <summary>The policy's message for this rule, or the engine's own sentence; <see langword="null"/> when the call is allowed.</summary>
    public string? Message { get; }

    /// <inheritdoc />
    public override string ToString() => Rule is null ? $"{Effect} {Code}" : $"{Effect} {Code} at {Rule}";
}
