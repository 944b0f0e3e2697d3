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
        Assert.Equal("[RATE LIMITED] Retry in 43 s. Limit reached: at most 1 call per minute.", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.True(McpPolicyResults.IsPolicyResult(result));
    }

    [Theory]
    [InlineData(0.2, "Retry in 1 s.")]
    [InlineData(120, "Retry in 120 s.")]
    [InlineData(121, "Retry in 3 min.")]
    [InlineData(7200, "Retry in 120 min.")]
    [InlineData(7201, "Retry in 3 h.")]
    public void A_rate_limited_text_says_when_to_retry_rounded_up(double seconds, string hint)
    {
        var clock = new FakeTimeProvider();
        using var evaluator = new PolicyEvaluator(
            Policy.Parse("""{ "version": "1", "default": "deny", "tools": { "ping": { "rate_limit": { "max": 1, "window": "1d" } } } }"""),
            new PolicyEngineOptions { TimeProvider = clock });
        var call = new ToolCall("ping") { SessionId = "s" };
        evaluator.Evaluate(call);
        clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(seconds));

        var text = ((TextContentBlock)McpPolicyResults.ToCallToolResult(evaluator.Evaluate(call)).Content[0]).Text;

        Assert.Equal($"[RATE LIMITED] {hint} Limit reached: at most 1 call per day.", text);
    }

    [Fact]
    public void A_call_that_can_never_fit_is_told_that_retrying_will_not_help()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "deny", "tools": { "pay": { "limits": [ { "max": 10, "window": "1h", "cost": "args.amount" } ] } } }
            """));

        var decision = evaluator.Evaluate(new ToolCall("pay", System.Text.Json.JsonElement.Parse("""{"amount": 11}""")) { SessionId = "s" });

        Assert.Equal(DecisionCodes.RateLimited, decision.Code);
        Assert.Equal(
            "[RATE LIMITED] Retrying will not help. Limit reached: at most 10 spent per hour.",
            ((TextContentBlock)McpPolicyResults.ToCallToolResult(decision).Content[0]).Text);
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
        Assert.Equal("[APPROVAL REQUIRED] A person decides.", ((TextContentBlock)result.Content[0]).Text);
        Assert.True(McpPolicyResults.IsPolicyResult(result));
    }

    [Fact]
    public void A_tools_own_error_is_not_a_policy_result()
    {
        var own = new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "exchange unavailable" }] };

        Assert.False(McpPolicyResults.IsPolicyResult(own));
        Assert.False(McpPolicyResults.IsPolicyResult(new CallToolResult { Content = [new TextContentBlock { Text = McpPolicyResults.DeniedPrefix }] }));
    }
}
