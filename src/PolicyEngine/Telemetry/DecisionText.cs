namespace PolicyEngine.Telemetry;

/// <summary>The wire names of effects (spec §9), shared by the log, the metrics and the MCP results.</summary>
internal static class DecisionText
{
    public static string Effect(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.RequireApproval => "require_approval",
        _ => "deny",
    };
}
