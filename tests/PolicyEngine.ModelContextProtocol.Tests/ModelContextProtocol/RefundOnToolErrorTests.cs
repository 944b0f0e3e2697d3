using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary><see cref="McpPolicyOptions.RefundOnToolError"/>: a tool that throws or returns IsError gives its budget back.</summary>
public sealed class RefundOnToolErrorTests
{
    private const string Budget = """
        { "version": "1", "default": "deny", "tools": {
          "pay": { "limits": [{ "max": 100, "window": "day", "cost": "args.amount" }] },
          "pay_soft": { "limits": [{ "max": 100, "window": "day", "cost": "args.amount" }] },
          "ping": { "rate_limit": { "max": 1, "window": 60 } } } }
        """;

    private static readonly McpServerTool Pay = McpServerTool.Create(
        (decimal amount, bool fail) => fail ? throw new InvalidOperationException("The bank is down.") : "paid",
        new() { Name = "pay", Description = "Pays; throws when asked to fail." });

    private static readonly McpServerTool PaySoft = McpServerTool.Create(
        (decimal amount, bool fail) => new CallToolResult { IsError = fail, Content = [new TextContentBlock { Text = fail ? "declined" : "paid" }] },
        new() { Name = "pay_soft", Description = "Pays; returns an error result when asked to fail." });

    private static readonly McpServerTool Ping = McpServerTool.Create(
        (bool fail) => fail ? throw new InvalidOperationException("down") : "pong", new() { Name = "ping", Description = "Pings." });

    private static string? Code(CallToolResult result) =>
        McpPolicyResults.IsPolicyResult(result) ? result.StructuredContent!.Value.GetProperty("code").GetString() : null;

    private static Dictionary<string, object?> Args(decimal amount, bool fail) => new() { ["amount"] = amount, ["fail"] = fail };

    [Theory]
    [InlineData("pay")]
    [InlineData("pay_soft")]
    public async Task A_failed_tool_gives_its_spend_back_and_a_successful_one_keeps_it(string tool)
    {
        await using var pair = await InProcessServer.StartAsync(Budget, [Pay, PaySoft, Ping]);

        Assert.True((await pair.CallAsync(tool, Args(60, fail: true))).IsError);
        var paid = await pair.CallAsync(tool, Args(100, fail: false));
        Assert.True(paid.IsError != true, Code(paid) ?? ((TextContentBlock)paid.Content[0]).Text); // the 60 came back
        var over = await pair.CallAsync(tool, Args(1, fail: false));
        Assert.Equal(DecisionCodes.RateLimited, Code(over));
    }

    [Fact]
    public async Task Count_limits_keep_counting_failed_calls_by_default()
    {
        await using var pair = await InProcessServer.StartAsync(Budget, [Pay, PaySoft, Ping]);

        Assert.True((await pair.CallAsync("ping", new Dictionary<string, object?> { ["fail"] = true })).IsError);
        var again = await pair.CallAsync("ping", new Dictionary<string, object?> { ["fail"] = false });
        Assert.Equal(DecisionCodes.RateLimited, Code(again));
    }

    [Fact]
    public async Task Turned_off_a_failed_tool_keeps_its_spend()
    {
        await using var pair = await InProcessServer.StartAsync(Budget, [Pay, PaySoft, Ping], o => o.RefundOnToolError = false);

        Assert.True((await pair.CallAsync("pay", Args(60, fail: true))).IsError);
        var over = await pair.CallAsync("pay", Args(100, fail: false));
        Assert.Equal(DecisionCodes.RateLimited, Code(over));
    }
}
