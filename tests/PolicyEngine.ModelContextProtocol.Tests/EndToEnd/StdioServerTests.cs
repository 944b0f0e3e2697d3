using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>samples/McpServer as a child process, driven through the SDK's StdioClientTransport.</summary>
public sealed class StdioServerTests
{
    private static readonly Dictionary<string, object?> Order = new() { ["symbol"] = "BTCUSD", ["side"] = "buy", ["quantity"] = 2 };

    [Fact]
    public async Task The_hidden_admin_tool_is_absent_from_the_list_and_denied_when_called()
    {
        await using var server = await SampleServer.StartAsync();

        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        var names = tools.Select(t => t.Name).ToList();
        Assert.Contains("get_price", names);
        Assert.Contains("binance_us_cust_cancel_orders_symbol", names);
        Assert.DoesNotContain("admin_rotate_keys", names);
        AssertPolicyResult(await server.CallAsync("admin_rotate_keys"), "deny", DecisionCodes.Hidden, "/hide/0");
    }

    [Fact]
    public async Task An_allowed_call_runs_the_tool()
    {
        await using var server = await SampleServer.StartAsync();

        var result = await server.CallAsync("get_price", new Dictionary<string, object?> { ["symbol"] = "ETHUSD" });

        Assert.NotEqual(true, result.IsError);
        Assert.StartsWith("ETHUSD: ", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denials_arrive_as_error_results_with_the_structured_fields()
    {
        await using var server = await SampleServer.StartAsync();

        var tooLarge = await server.CallAsync("place_order", new Dictionary<string, object?> { ["symbol"] = "BTCUSD", ["side"] = "buy", ["quantity"] = 5000 });
        var structured = AssertPolicyResult(tooLarge, "deny", DecisionCodes.Denied, "/tools/place_order/deny_if/0");
        Assert.Equal("[POLICY DENIED] Orders above 1000 units are not allowed.", Text(tooLarge));
        Assert.Equal(JsonValueKind.Null, structured.GetProperty("retry_after").ValueKind);
        Assert.Equal(JsonValueKind.Null, structured.GetProperty("approval_id").ValueKind);

        var cancel = await server.CallAsync("binance_us_cust_cancel_orders_symbol", new Dictionary<string, object?> { ["symbol"] = "BTCUSD" });
        AssertPolicyResult(cancel, "deny", DecisionCodes.Denied, "/tools/binance_us_cust_cancel_orders_symbol/deny_if/0");
        Assert.Equal("[POLICY DENIED] Requires human approval.", Text(cancel));

        var badSide = await server.CallAsync("place_order", new Dictionary<string, object?> { ["symbol"] = "BTCUSD", ["side"] = "short", ["quantity"] = 1 });
        AssertPolicyResult(badSide, "deny", DecisionCodes.RequirementFailed, "/tools/place_order/require/1");

        // The session survived every denial.
        Assert.NotEqual(true, (await server.CallAsync("get_price", new Dictionary<string, object?> { ["symbol"] = "BTCUSD" })).IsError);
    }

    [Fact]
    public async Task The_rate_limit_bites_on_the_fourth_order_with_a_retry_after()
    {
        await using var server = await SampleServer.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var placed = await server.CallAsync("place_order", Order);
            Assert.NotEqual(true, placed.IsError);
            Assert.StartsWith("Order ", Text(placed), StringComparison.Ordinal);
        }

        var fourth = await server.CallAsync("place_order", Order);

        var structured = AssertPolicyResult(fourth, "deny", DecisionCodes.RateLimited, "/tools/place_order/rate_limit");
        var retryAfter = structured.GetProperty("retry_after").GetDecimal();
        Assert.InRange(retryAfter, 30m, 60m); // the first of three orders, made moments ago, frees the minute's window
    }

    [Fact]
    public async Task The_spend_limit_stops_transfers_past_the_daily_budget()
    {
        await using var server = await SampleServer.StartAsync();
        var small = new Dictionary<string, object?> { ["amount"] = 900, ["to"] = "acct-7" };
        for (var i = 0; i < 22; i++)
        {
            Assert.NotEqual(true, (await server.CallAsync("transfer", small)).IsError);
        }

        var over = await server.CallAsync("transfer", small); // 19800 spent: 900 more would pass 20000

        var structured = AssertPolicyResult(over, "deny", DecisionCodes.RateLimited, "/tools/transfer/limits/0");
        Assert.True(structured.GetProperty("retry_after").GetDecimal() > 0);
        Assert.Matches(@"^\[RATE LIMITED\] Retry in \d+ (s|min|h)\. The daily transfer budget of 20000 is spent\.$", Text(over));
        Assert.Equal("Transferred 200 USD to acct-7.", Text(await server.CallAsync("transfer", new Dictionary<string, object?> { ["amount"] = 200, ["to"] = "acct-7" })));
    }

    [Fact]
    public async Task Without_elicitation_a_large_transfer_waits_for_approval_with_an_id()
    {
        await using var server = await SampleServer.StartAsync(elicitApprovals: true);

        var result = await server.CallAsync("transfer", new Dictionary<string, object?> { ["amount"] = 5000, ["to"] = "acct-7" });

        var structured = AssertPolicyResult(result, "require_approval", DecisionCodes.ApprovalRequired, "/tools/transfer/approve_if/0");
        Assert.False(string.IsNullOrEmpty(structured.GetProperty("approval_id").GetString()));
        Assert.Equal("[APPROVAL REQUIRED] Transfers above 1000 need a person's approval.", Text(result));
    }

    [Fact]
    public async Task Approval_through_elicitation_lets_the_call_run_once_and_a_refusal_denies_it()
    {
        var asked = new List<string>();
        var answer = true;
        await using var server = await SampleServer.StartAsync(
            elicitApprovals: true,
            elicitation: (request, _) =>
            {
                asked.Add(request!.Message);
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["approve"] = JsonSerializer.SerializeToElement(answer) },
                });
            });
        var transfer = new Dictionary<string, object?> { ["amount"] = 5000, ["to"] = "acct-7" };

        var approved = await server.CallAsync("transfer", transfer);
        Assert.NotEqual(true, approved.IsError);
        Assert.Equal("Transferred 5000 USD to acct-7.", Text(approved));
        Assert.Contains("transfer", Assert.Single(asked), StringComparison.Ordinal);

        answer = false;
        var refused = await server.CallAsync("transfer", transfer);
        AssertPolicyResult(refused, "deny", DecisionCodes.Denied, "/tools/transfer/approve_if/0");
        Assert.StartsWith("[POLICY DENIED] Approval was declined", Text(refused), StringComparison.Ordinal);
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public async Task A_policy_file_edited_on_disk_takes_effect_without_a_restart()
    {
        await using var server = await SampleServer.StartAsync();
        var price = new Dictionary<string, object?> { ["symbol"] = "BTCUSD" };
        Assert.NotEqual(true, (await server.CallAsync("get_price", price)).IsError);

        var listChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = server.Client.RegisterNotificationHandler(
            NotificationMethods.ToolListChangedNotification,
            (_, _) =>
            {
                listChanged.TrySetResult();
                return ValueTask.CompletedTask;
            });

        server.Policy.Write(SampleServer.SamplePolicy.Replace("\"hide\": [\"admin_*\"]", "\"hide\": [\"admin_*\", \"get_price\"]", StringComparison.Ordinal));
        await server.WaitForStandardErrorAsync("reloaded; fingerprint");
        await listChanged.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        AssertPolicyResult(await server.CallAsync("get_price", price), "deny", DecisionCodes.Hidden, "/hide/1");
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.DoesNotContain("get_price", tools.Select(t => t.Name));
    }

    [Fact]
    public async Task A_bad_edit_is_rejected_and_the_server_keeps_the_last_good_policy()
    {
        await using var server = await SampleServer.StartAsync();

        server.Policy.Write("""{ "version": "1", "default": "allow", "hide": "not-an-array" }""");
        await server.WaitForStandardErrorAsync("policy rejected");

        AssertPolicyResult(await server.CallAsync("admin_rotate_keys"), "deny", DecisionCodes.Hidden, "/hide/0");
    }

    [Fact]
    public async Task Every_decision_is_in_the_servers_decision_log()
    {
        await using var server = await SampleServer.StartAsync();
        await server.CallAsync("get_price", new Dictionary<string, object?> { ["symbol"] = "BTCUSD" });
        await server.CallAsync("admin_rotate_keys");

        var lines = await File.ReadAllLinesAsync(server.DecisionLog, TestContext.Current.CancellationToken);

        Assert.Equal(2, lines.Length);
        using var denied = JsonDocument.Parse(lines[1]);
        Assert.Equal("admin_rotate_keys", denied.RootElement.GetProperty("tool").GetString());
        Assert.Equal(DecisionCodes.Hidden, denied.RootElement.GetProperty("code").GetString());
        Assert.False(denied.RootElement.TryGetProperty("arguments", out _));
    }

    internal static JsonElement AssertPolicyResult(CallToolResult result, string effect, string code, string? rule)
    {
        Assert.True(result.IsError);
        Assert.True(McpPolicyResults.IsPolicyResult(result));
        var structured = Assert.NotNull(result.StructuredContent);
        Assert.Equal(effect, structured.GetProperty("effect").GetString());
        Assert.Equal(code, structured.GetProperty("code").GetString());
        Assert.Equal(rule, structured.GetProperty("rule").GetString());
        return structured;
    }

    internal static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
