using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary>
/// A server and a client in one process over pipes: a named engine, approval through the engine's API (a host without
/// elicitation), and pins checked against the definition of the matched tool.
/// </summary>
public sealed class InProcessServerTests
{
    private static readonly McpServerTool Pay = McpServerTool.Create((decimal amount) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"paid {amount}"), new() { Name = "pay", Description = "Pays." });
    private static readonly McpServerTool Ping = McpServerTool.Create(() => "pong", new() { Name = "ping", Description = "Answers pong." });

    [Fact]
    public async Task A_host_without_elicitation_approves_through_the_named_engine()
    {
        await using var pair = await InProcessServer.StartAsync("""
            { "version": "1", "default": "deny", "tools": { "pay": { "action": "require_approval", "reason": "Ask first." } } }
            """, [Pay, Ping]);
        var evaluator = pair.Evaluator;
        Assert.NotNull(pair.Host.Services.GetService<McpServer>());
        var pay = new Dictionary<string, object?> { ["amount"] = 12.5m };

        var held = await pair.CallAsync("pay", pay);
        var id = StdioServerTests.AssertPolicyResult(held, "require_approval", DecisionCodes.ApprovalRequired, "/tools/pay/action")
            .GetProperty("approval_id").GetString()!;
        var pending = Assert.Single(evaluator.GetPendingApprovals());
        Assert.Equal(id, pending.ApprovalId);
        Assert.Equal("pay", pending.Tool);
        Assert.True(evaluator.Approve(id));

        Assert.Equal("paid 12.5", StdioServerTests.Text(await pair.CallAsync("pay", pay)));
        Assert.True((await pair.CallAsync("pay", pay)).IsError);
    }

    [Fact]
    public async Task A_pin_is_checked_against_the_matched_tools_definition()
    {
        var pingPin = ToolPin.Compute(Ping.ProtocolTool.Name, Ping.ProtocolTool.Description, Ping.ProtocolTool.InputSchema);
        await using var pair = await InProcessServer.StartAsync($$"""
            { "version": "1", "default": "deny",
              "tools": { "ping": { "pin": "{{pingPin}}" }, "pay": { "pin": "sha256:{{new string('a', 64)}}" } } }
            """, [Pay, Ping]);

        Assert.Equal("pong", StdioServerTests.Text(await pair.CallAsync("ping", null)));
        StdioServerTests.AssertPolicyResult(
            await pair.CallAsync("pay", new Dictionary<string, object?> { ["amount"] = 1 }), "deny", DecisionCodes.DefinitionChanged, "/tools/pay/pin");
    }

    [Fact]
    public async Task An_unknown_tool_is_decided_by_the_policy_before_the_sdk_rejects_it()
    {
        await using var pair = await InProcessServer.StartAsync("""{ "version": "1", "default": "deny" }""", [Pay, Ping]);

        StdioServerTests.AssertPolicyResult(await pair.CallAsync("no_such_tool", null), "deny", DecisionCodes.DefaultDeny, "/default");
    }
}
