using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

public sealed class McpPolicyResultsTests
{
    [Fact]
    public void A_rate_limited_decision_carries_retry_after_in_seconds()
    {
        var clock = new FakeTimeProvider();
        using var evaluator = new PolicyEvaluator(Policy.Parse(Policies.OneCallPerMinute), new PolicyEngineOptions { TimeProvider = clock });
        var call = new ToolCall("ping") { SessionId = "s" };
        evaluator.Evaluate(call);
        clock.Advance(TimeSpan.FromSeconds(17.5));

        var result = McpPolicyResults.ToCallToolResult(evaluator.Evaluate(call));

        Assert.True(result.IsError);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("deny", structured.GetProperty("effect").GetString());
        Assert.Equal(DecisionCodes.RateLimited, structured.GetProperty("code").GetString());
        Assert.Equal("/tools/ping/rate_limit", structured.GetProperty("rule").GetString());
        Assert.Equal(42.5m, structured.GetProperty("retry_after").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, structured.GetProperty("approval_id").ValueKind);
        Assert.StartsWith(McpPolicyResults.DeniedPrefix, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_decision_carries_its_id_and_effect()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "deny", "tools": { "pay": { "action": "require_approval", "reason": "A person decides." } } }
            """));
        var decision = evaluator.Evaluate(new ToolCall("pay") { SessionId = "s" });

        var result = McpPolicyResults.ToCallToolResult(decision);

        var structured = result.StructuredContent!.Value;
        Assert.Equal("require_approval", structured.GetProperty("effect").GetString());
        Assert.Equal(decision.ApprovalId, structured.GetProperty("approval_id").GetString());
        Assert.Equal("[POLICY DENIED] A person decides.", ((TextContentBlock)result.Content[0]).Text);
    }

    [Fact]
    public void A_tools_own_error_is_not_a_policy_result()
    {
        var own = new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "exchange unavailable" }] };

        Assert.False(McpPolicyResults.IsPolicyResult(own));
        Assert.False(McpPolicyResults.IsPolicyResult(new CallToolResult { Content = [new TextContentBlock { Text = McpPolicyResults.DeniedPrefix }] }));
    }
}
