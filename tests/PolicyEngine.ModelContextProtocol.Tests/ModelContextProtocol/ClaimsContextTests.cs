using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

public sealed class ClaimsContextTests
{
    private static readonly Dictionary<string, string> Mapping = new(StringComparer.Ordinal)
    {
        ["user"] = ClaimTypes.NameIdentifier,
        ["roles"] = ClaimTypes.Role,
        ["tenant"] = "tid",
    };

    [Fact]
    public void A_single_claim_becomes_a_string_and_a_repeated_one_an_array()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim(ClaimTypes.Role, "trader"), new Claim(ClaimTypes.Role, "admin")],
            "test"));

        var context = ClaimsContext.FromClaims(user, Mapping)!;

        Assert.Equal("alice", context["user"].GetString());
        Assert.Equal(["trader", "admin"], context["roles"].EnumerateArray().Select(e => e.GetString()));
        Assert.False(context.ContainsKey("tenant"));
    }

    [Fact]
    public void No_user_means_no_context()
    {
        Assert.Null(ClaimsContext.FromClaims(null, Mapping));
        Assert.Null(ClaimsContext.FromClaims(new ClaimsPrincipal(new ClaimsIdentity()), Mapping));
    }

    [Fact]
    public void Claims_reach_context_paths_of_the_policy()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "deny",
              "tools": { "trade": { "require": [{ "path": "context.roles", "op": "contains", "value": "trader" }] } } }
            """));
        var trader = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "trader"), new Claim(ClaimTypes.Role, "x")], "test"));
        var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "viewer"), new Claim(ClaimTypes.Role, "x")], "test"));

        Assert.True(evaluator.Evaluate(new ToolCall("trade") { Context = ClaimsContext.FromClaims(trader, Mapping) }).IsAllowed);
        Assert.Equal(
            DecisionCodes.RequirementFailed,
            evaluator.Evaluate(new ToolCall("trade") { Context = ClaimsContext.FromClaims(viewer, Mapping) }).Code);
    }

    [Fact]
    public void Options_are_checked_when_the_filter_is_installed()
    {
        var builder = new ServiceCollection().AddMcpServer();

        Assert.Throws<ArgumentException>(() => builder.WithPolicyEngine(o => o.PolicyName = ""));
        Assert.Throws<ArgumentException>(() => builder.WithPolicyEngine(o => o.ContextClaims["user"] = ""));
        Assert.Throws<ArgumentException>(() => builder.WithPolicyEngine("policy.json", o => o.PolicyName = "trading"));
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(PolicyEvaluator));
    }
}
