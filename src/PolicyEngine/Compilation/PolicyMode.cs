namespace PolicyEngine;

/// <summary>Whether a policy enforces its decisions or only reports them (docs/policy-language.md#evaluating-a-call).</summary>
public enum PolicyMode
{
    /// <summary>Decisions are enforced.</summary>
    Enforce,

    /// <summary>Every call is allowed with code <c>shadow</c>; the computed decision is reported in <see cref="Decision.Shadowed"/>.</summary>
    Shadow,
}
