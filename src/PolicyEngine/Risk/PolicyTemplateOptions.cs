namespace PolicyEngine;

/// <summary>How <see cref="PolicyTemplates.FromTools"/> writes a starter policy.</summary>
public sealed class PolicyTemplateOptions
{
    /// <summary>
    /// When true, critical tools get <c>"action": "require_approval"</c>, so that a person can approve a call through
    /// this engine's approvals. When false (the default), they get the seed's PolicyLayer form: a <c>deny_if</c> with
    /// empty conditions and <c>"on_deny": "Requires human approval."</c>, which denies every call.
    /// </summary>
    public bool EngineApprovals { get; init; }
}
