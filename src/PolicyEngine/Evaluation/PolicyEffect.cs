namespace PolicyEngine;

/// <summary>What a decision lets the host do with a tool call.</summary>
public enum PolicyEffect
{
    /// <summary>The call may run.</summary>
    Allow,

    /// <summary>The call must not run.</summary>
    Deny,

    /// <summary>The call may run only after a person approves it (see <see cref="PolicyEvaluator.Approve(string)"/>).</summary>
    RequireApproval,
}
