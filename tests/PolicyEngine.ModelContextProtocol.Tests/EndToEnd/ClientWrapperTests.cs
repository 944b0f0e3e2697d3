using System.Text.Json;
using Microsoft.Extensions.AI;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>PolicyEnforcingMcpClient in front of the real sample server: the host's policy decides before a call leaves.</summary>
public sealed class ClientWrapperTests
{
    private const string HostPolicy = """
        { "version": "1", "default": "allow", "hide": ["binance_*"],
          "tools": { "transfer": { "deny_if": [{ "conditions": [{ "path": "args.to", "op": "starts_with", "value": "ext-" }],
                                                 "on_deny": "The host never pays external accounts." }] } } }
        """;

    [Fact]
    public async Task A_call_the_host_denies_never_reaches_the_server()
    {
        await using var server = await SampleServer.StartAsync();
        using var evaluator = new PolicyEvaluator(Policy.Parse(HostPolicy));
        var agent = new PolicyEnforcingMcpClient(server.Client, evaluator);

        var denied = await agent.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = 10, ["to"] = "ext-1" }, TestContext.Current.CancellationToken);
        var allowed = await agent.CallToolAsync("get_price", new Dictionary<string, object?> { ["symbol"] = "BTCUSD" }, TestContext.Current.CancellationToken);

        StdioServerTests.AssertPolicyResult(denied, "deny", DecisionCodes.Denied, "/tools/transfer/deny_if/0");
        Assert.Equal("[POLICY DENIED] The host never pays external accounts.", StdioServerTests.Text(denied));
        Assert.NotEqual(true, allowed.IsError);
        var logged = await File.ReadAllLinesAsync(server.DecisionLog, TestContext.Current.CancellationToken);
        using var record = JsonDocument.Parse(Assert.Single(logged));
        Assert.Equal("get_price", record.RootElement.GetProperty("tool").GetString());
    }

    [Fact]
    public async Task Over_a_shared_store_the_host_decides_asynchronously_and_a_store_that_is_down_sends_nothing()
    {
        await using var server = await SampleServer.StartAsync();
        var store = new ControlledStore { Slow = true };
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "allow", "tools": {
              "get_price": { "rate_limit": { "max": 1, "window": 60 } },
              "transfer": { "limits": [{ "max": 100, "window": 60, "cost": "args.amount" }] } } }
            """), new PolicyEngineOptions { StateStore = store });
        var agent = new PolicyEnforcingMcpClient(server.Client, evaluator);
        var price = new Dictionary<string, object?> { ["symbol"] = "BTCUSD" };

        Assert.NotEqual(true, (await agent.CallToolAsync("get_price", price, TestContext.Current.CancellationToken)).IsError);
        StdioServerTests.AssertPolicyResult(await agent.CallToolAsync("get_price", price, TestContext.Current.CancellationToken),
            "deny", DecisionCodes.RateLimited, "/tools/get_price/rate_limit");
        store.Down = true;
        var unavailable = await agent.CallToolAsync("transfer", new Dictionary<string, object?> { ["amount"] = 10, ["to"] = "acct-1" }, TestContext.Current.CancellationToken);

        StdioServerTests.AssertPolicyResult(unavailable, "deny", DecisionCodes.StateUnavailable, null);
        Assert.StartsWith(McpPolicyResults.StateUnavailablePrefix, StdioServerTests.Text(unavailable), StringComparison.Ordinal);
        Assert.Equal(3, store.Acquires); // each call asked the store once; the last found it down
        var logged = await File.ReadAllLinesAsync(server.DecisionLog, TestContext.Current.CancellationToken);
        Assert.Single(logged); // the server saw the one allowed call only
    }

    [Fact]
    public async Task Listed_tools_lose_the_ones_the_host_hides_and_invoke_through_the_policy()
    {
        await using var server = await SampleServer.StartAsync();
        using var evaluator = new PolicyEvaluator(Policy.Parse(HostPolicy));
        var agent = new PolicyEnforcingMcpClient(server.Client, evaluator);

        var tools = await agent.ListToolsAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(tools, t => t.Name.StartsWith("binance_", StringComparison.Ordinal));
        Assert.DoesNotContain(tools, t => t.Name == "admin_rotate_keys"); // the server hid it
        AIFunction transfer = tools.Single(t => t.Name == "transfer");
        var returned = await transfer.InvokeAsync(new AIFunctionArguments { ["amount"] = 10, ["to"] = "ext-2" }, TestContext.Current.CancellationToken);
        var result = Assert.IsType<JsonElement>(returned);
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Equal(DecisionCodes.Denied, result.GetProperty("structuredContent").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Pins_are_checked_against_the_definitions_the_server_listed()
    {
        await using var server = await SampleServer.StartAsync();
        var listed = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var getPrice = listed.Single(t => t.Name == "get_price").ProtocolTool;
        var pin = ToolPin.Compute(getPrice.Name, getPrice.Description, getPrice.InputSchema);
        using var evaluator = new PolicyEvaluator(Policy.Parse($$"""
            { "version": "1", "default": "allow",
              "tools": { "get_price": { "pin": "{{pin}}" },
                         "place_order": { "pin": "sha256:{{new string('0', 64)}}" } } }
            """));
        var agent = new PolicyEnforcingMcpClient(server.Client, evaluator);
        var price = new Dictionary<string, object?> { ["symbol"] = "BTCUSD" };

        // Before listing, the host has no definition to compare: a pinned tool is refused.
        var unlisted = await agent.CallToolAsync("get_price", price, TestContext.Current.CancellationToken);
        StdioServerTests.AssertPolicyResult(unlisted, "deny", DecisionCodes.DefinitionChanged, "/tools/get_price/pin");

        await agent.ListToolsAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(true, (await agent.CallToolAsync("get_price", price, TestContext.Current.CancellationToken)).IsError);
        var changed = await agent.CallToolAsync("place_order", new Dictionary<string, object?> { ["symbol"] = "BTCUSD", ["side"] = "buy", ["quantity"] = 1 }, TestContext.Current.CancellationToken);
        StdioServerTests.AssertPolicyResult(changed, "deny", DecisionCodes.DefinitionChanged, "/tools/place_order/pin");
    }

    [Fact]
    public async Task The_host_approves_a_held_call_once()
    {
        await using var server = await SampleServer.StartAsync();
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "allow", "tools": { "transfer": { "action": "require_approval", "reason": "Ask first." } } }
            """));
        var agent = new PolicyEnforcingMcpClient(server.Client, evaluator);
        var transfer = new Dictionary<string, object?> { ["amount"] = 20, ["to"] = "acct-1" };

        var held = await agent.CallToolAsync("transfer", transfer, TestContext.Current.CancellationToken);
        var id = StdioServerTests.AssertPolicyResult(held, "require_approval", DecisionCodes.ApprovalRequired, "/tools/transfer/action")
            .GetProperty("approval_id").GetString();
        Assert.Equal(agent.GetApprovalId("transfer", transfer), id);
        Assert.True(evaluator.Approve(id!));

        var ran = await agent.CallToolAsync("transfer", transfer, TestContext.Current.CancellationToken);
        Assert.Equal("Transferred 20 USD to acct-1.", StdioServerTests.Text(ran));
        Assert.True((await agent.CallToolAsync("transfer", transfer, TestContext.Current.CancellationToken)).IsError);
    }
}
