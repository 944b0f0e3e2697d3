using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// Spec §7: an indeterminate decision carries the engine's own sentence, not the rule's message (the rule did
/// not fire); a shadow decision has rule null and no retry-after, and carries the computed decision.
/// </summary>
public sealed class IndeterminateAndShadowTests
{
    private const string Policy = """
        {"version":"1","default":"allow","tools":{"t":{
          "require":[{"path":"args.r","op":"gt","value":0,"on_fail":"R must be positive."}],
          "deny_if":[{"conditions":[{"path":"args.d","op":"gt","value":10}],"on_deny":"D is too big."}],
          "approve_if":[{"conditions":[{"path":"args.a","op":"eq","value":1}],"reason":"A needs a human."}],
          "limits":[{"max":5,"window":60,"cost":"args.c","on_limit":"Budget spent."}]}}}
        """;

    [Theory]
    [InlineData("""{"r":"x","d":1,"a":0,"c":1}""", "/tools/t/require/0")]
    [InlineData("""{"r":1,"d":"big","a":0,"c":1}""", "/tools/t/deny_if/0")]
    [InlineData("""{"r":1,"d":1,"a":[1],"c":1}""", "/tools/t/approve_if/0")]
    [InlineData("""{"r":1,"d":1,"a":0,"c":"x"}""", "/tools/t/limits/0")]
    public void An_indeterminate_decision_carries_the_engines_sentence_not_the_rules_message(string arguments, string rule)
    {
        foreach (var policy in new[] { Policy, Policy.Replace("\"default\":\"allow\"", "\"default\":\"allow\",\"mode\":\"shadow\"", StringComparison.Ordinal) })
        {
            using var ev = Engine.For(policy);
            var d = ev.Evaluate(Engine.Call("t", arguments));
            var computed = d.Shadowed ?? d.Outcome;
            Assert.Equal((PolicyEffect.Deny, DecisionCodes.Indeterminate, rule), (computed.Effect, computed.Code, computed.Rule));
            Assert.False(string.IsNullOrEmpty(computed.Message));
            Assert.DoesNotContain(computed.Message, new[] { "R must be positive.", "D is too big.", "A needs a human.", "Budget spent." });
        }
    }

    [Fact]
    public void A_shadow_decision_has_no_rule_and_no_retry_after_and_carries_the_computed_one()
    {
        using var ev = Engine.For(Policy.Replace("\"default\":\"allow\"", "\"default\":\"allow\",\"mode\":\"shadow\"", StringComparison.Ordinal));
        var allowed = ev.Evaluate(Engine.Call("t", """{"r":1,"d":1,"a":0,"c":5}"""));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Shadow, (string?)null, (TimeSpan?)null), (allowed.Effect, allowed.Code, allowed.Rule, allowed.RetryAfter));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Allowed, "/tools/t"), (allowed.Shadowed!.Effect, allowed.Shadowed.Code, allowed.Shadowed.Rule));

        var limited = ev.Evaluate(Engine.Call("t", """{"r":1,"d":1,"a":0,"c":1}"""));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Shadow, (string?)null, (TimeSpan?)null, (string?)null),
            (limited.Effect, limited.Code, limited.Rule, limited.RetryAfter, limited.Message));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.RateLimited, "/tools/t/limits/0", "Budget spent."),
            (limited.Shadowed!.Effect, limited.Shadowed.Code, limited.Shadowed.Rule, limited.Shadowed.Message));
    }
}
