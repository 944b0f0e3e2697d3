using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary>
/// The server filter over a shared <see cref="PolicyStateStore"/>: decisions, refunds and elicited approvals go through
/// the evaluator's asynchronous members, and a store that fails reaches the client as a tool result, never a transport error.
/// </summary>
public sealed class SharedStateTests
{
    private const string Policy = """
        { "version": "1", "default": "deny", "tools": {
          "ping": { "rate_limit": { "max": 3, "window": 60 } },
          "pay": { "limits": [{ "max": 100, "window": 3600, "cost": "args.amount" }] },
          "transfer": { "action": "require_approval", "reason": "A person approves every transfer." } } }
        """;

    private static int s_runs;

    private static readonly McpServerTool Ping = McpServerTool.Create(() =>
    {
        Interlocked.Increment(ref s_runs);
        return "pong";
    }, new() { Name = "ping", Description = "Answers pong." });

    private static readonly McpServerTool Pay = McpServerTool.Create(
        (decimal amount, bool fail) => fail ? throw new InvalidOperationException("The bank is down.") : "paid",
        new() { Name = "pay", Description = "Pays; throws when asked to fail." });

    private static readonly McpServerTool Transfer = McpServerTool.Create((decimal amount) => "transferred", new() { Name = "transfer", Description = "Transfers." });

    private static Task<InProcessServer> StartAsync(ControlledStore store, McpClientOptions? client = null, bool elicit = false) =>
        InProcessServer.StartAsync(Policy, [Ping, Pay, Transfer], o => o.ApproveThroughElicitation = elicit,
            engine: e => e.ConfigureOptions(o => o.StateStore = store), clientOptions: client);

    [Fact]
    public async Task A_store_that_is_down_reaches_the_client_as_state_unavailable_with_the_engines_message()
    {
        var store = new ControlledStore { Down = true };
        await using var pair = await StartAsync(store);
        int runs = Volatile.Read(ref s_runs);

        var result = await pair.CallAsync("ping", null);

        var structured = StdioServerTests.AssertPolicyResult(result, "deny", DecisionCodes.StateUnavailable, null);
        var message = structured.GetProperty("message").GetString()!;
        Assert.Contains("could not be reached", message, StringComparison.Ordinal);
        Assert.True(structured.GetProperty("retry_after").GetDecimal() > 0);
        Assert.Equal($"{McpPolicyResults.StateUnavailablePrefix}Retry in 60 s. {message}", StdioServerTests.Text(result));
        Assert.Equal(runs, Volatile.Read(ref s_runs));
    }

    [Fact]
    public async Task A_store_that_answers_asynchronously_holds_the_limit_exactly_under_concurrent_calls()
    {
        var store = new ControlledStore { Slow = true };
        await using var pair = await StartAsync(store);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => pair.CallAsync("ping", null).AsTask()));

        Assert.Equal(3, results.Count(r => r.IsError != true));
        Assert.All(results.Where(r => r.IsError == true),
            r => Assert.Equal(DecisionCodes.RateLimited, r.StructuredContent!.Value.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_failed_tool_gives_its_spend_back_through_the_store()
    {
        var store = new ControlledStore { Slow = true };
        await using var pair = await StartAsync(store);

        Assert.True((await pair.CallAsync("pay", new Dictionary<string, object?> { ["amount"] = 60, ["fail"] = true })).IsError);
        Assert.Equal(1, store.Refunds);
        Assert.Equal("paid", StdioServerTests.Text(await pair.CallAsync("pay", new Dictionary<string, object?> { ["amount"] = 100, ["fail"] = false })));
    }

    [Fact]
    public async Task An_elicited_approval_is_recorded_in_the_store_and_a_failed_write_is_state_unavailable()
    {
        var store = new ControlledStore { Slow = true };
        var client = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["approve"] = JsonSerializer.SerializeToElement(true) },
                }),
            },
        };
        await using var pair = await StartAsync(store, client, elicit: true);

        Assert.Equal("transferred", StdioServerTests.Text(await pair.CallAsync("transfer", new Dictionary<string, object?> { ["amount"] = 5 })));

        store.ApproveFails = true;
        var refused = await pair.CallAsync("transfer", new Dictionary<string, object?> { ["amount"] = 6 });
        StdioServerTests.AssertPolicyResult(refused, "deny", DecisionCodes.StateUnavailable, null);
    }
}
