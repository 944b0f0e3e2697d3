namespace PolicyEngine;

/// <summary>The stable, machine-readable codes a <see cref="Decision"/> carries (docs/policy-language.md#evaluating-a-call).</summary>
public static class DecisionCodes
{
    /// <summary>A <c>tools</c> entry matched and nothing denied the call.</summary>
    public const string Allowed = "allowed";

    /// <summary>No <c>tools</c> entry matched and the policy's default is <c>allow</c>.</summary>
    public const string DefaultAllow = "default_allow";

    /// <summary>An <c>action: deny</c> or a firing <c>deny_if</c> entry denied the call.</summary>
    public const string Denied = "denied";

    /// <summary>No <c>tools</c> entry matched and the policy's default is <c>deny</c>.</summary>
    public const string DefaultDeny = "default_deny";

    /// <summary>A <c>hide</c> pattern matched the tool.</summary>
    public const string Hidden = "hidden";

    /// <summary>The call itself is malformed: bad tool name, arguments not an object, duplicate keys, too deep or too large.</summary>
    public const string InvalidCall = "invalid_call";

    /// <summary>A <c>require</c> item was false.</summary>
    public const string RequirementFailed = "requirement_failed";

    /// <summary>A rule could not be decided (missing or mistyped value); the engine fails closed.</summary>
    public const string Indeterminate = "indeterminate";

    /// <summary>The tool's definition does not match the entry's <c>pin</c>.</summary>
    public const string DefinitionChanged = "definition_changed";

    /// <summary>The call needs human approval and no valid approval covers it.</summary>
    public const string ApprovalRequired = "approval_required";

    /// <summary>A limit has no room for the call.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Shadow mode: the call is allowed and the computed decision is in <see cref="Decision.Shadowed"/>.</summary>
    public const string Shadow = "shadow";

    /// <summary>The engine tracks as many limit keys as it is configured for, and this call needs a new one.</summary>
    public const string CapacityExceeded = "capacity_exceeded";

    /// <summary>
    /// The shared state store (<see cref="PolicyEngineOptions.StateStore"/>) did not answer in time, failed, or was
    /// recently failing, so a call that needed its limits or approval was denied (fail closed). <see cref="Decision.RetryAfter"/> is short.
    /// </summary>
    public const string StateUnavailable = "state_unavailable";

    /// <summary>An unexpected internal fault; the engine failed closed.</summary>
    public const string InternalError = "internal_error";
}
