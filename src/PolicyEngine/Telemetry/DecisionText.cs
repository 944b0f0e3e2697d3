namespace PolicyEngine.Telemetry;

/// <summary>The wire names of effects (docs/policy-language.md, the command-line answers), the one copy shared by the log, the metrics, the CLI answers and the MCP results.</summary>
internal static class DecisionText
{
    public static string Effect(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.RequireApproval => "require_approval",
        _ => "deny",
    };
}
