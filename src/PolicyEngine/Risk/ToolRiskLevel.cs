namespace PolicyEngine;

/// <summary>How much harm one call of a tool can do (docs/risk.md gives the rubric).</summary>
public enum ToolRiskLevel
{
    /// <summary>Read-only and not sensitive.</summary>
    Low,

    /// <summary>A reversible or low-impact write, or reading secrets, personal or financial data.</summary>
    Medium,

    /// <summary>One irreversible or externally visible side effect.</summary>
    High,

    /// <summary>
    /// Irreversible money movement, mass cancellation or deletion, arbitrary code or command execution, credential or
    /// permission changes, or deleting a whole repository, database or bucket.
    /// </summary>
    Critical,
}
