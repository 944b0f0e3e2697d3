using ModelContextProtocol.Client;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// samples/McpServer over Streamable HTTP, as separate processes, with the C# MCP client: which calls share an engine
/// session (the sample policy allows 3 orders a minute per session).
/// </summary>
public sealed class HttpServerTests
{
    private static readonly Dictionary<string, object?> Order = new() { ["symbol"] = "BTCUSD", ["side"] = "buy", ["quantity"] = 1 };

    internal static async Task<string> PlaceOrderAsync(McpClient client)
    {
        var result = await client.CallToolAsync("place_order", Order, cancellationToken: TestContext.Current.CancellationToken);
        return result.IsError == true ? result.StructuredContent!.Value.GetProperty("code").GetString()! : DecisionCodes.Allowed;
    }

    private static async Task<string[]> PlaceOrdersAsync(McpClient client, int count)
    {
        var codes = new string[count];
        for (int i = 0; i < count; i++)
        {
            codes[i] = await PlaceOrderAsync(client);
        }

        return codes;
    }

    private static readonly string[] ThreeThenLimited = [DecisionCodes.Allowed, DecisionCodes.Allowed, DecisionCodes.Allowed, DecisionCodes.RateLimited];

    [Fact]
    public async Task Each_MCP_session_of_a_stateful_server_is_its_own_engine_session()
    {
        using var policy = new TempPolicyFile(SampleServer.SamplePolicy);
        await using var server = await HttpSampleServer.StartAsync(policy.Path, []);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        Assert.NotNull(first.SessionId);
        Assert.NotEqual(first.SessionId, second.SessionId);
        Assert.Equal(ThreeThenLimited, await PlaceOrdersAsync(first, 4));
        Assert.Equal(ThreeThenLimited, await PlaceOrdersAsync(second, 4)); // the first session's spend is not the second's
        Assert.DoesNotContain("share one engine session", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stateless_server_with_anonymous_callers_warns_at_startup_and_they_share_one_session()
    {
        using var policy = new TempPolicyFile(SampleServer.SamplePolicy);
        await using var server = await HttpSampleServer.StartAsync(policy.Path, ["--stateless"]);

        Assert.Contains("Stateless HTTP with anonymous callers: all of them share one engine session ('http-anonymous')", server.StandardError, StringComparison.Ordinal);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.Allowed], await PlaceOrdersAsync(first, 2));
        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.RateLimited], await PlaceOrdersAsync(second, 2));
    }

    [Fact]
    public async Task A_stateless_server_behind_a_user_header_gives_each_user_a_session_and_refuses_anonymous_calls()
    {
        using var policy = new TempPolicyFile(SampleServer.SamplePolicy);
        await using var server = await HttpSampleServer.StartAsync(policy.Path, ["--stateless", "--user-header", "X-User"]);
        await using var alice = await server.ConnectAsync("alice");
        await using var aliceAgain = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        Assert.DoesNotContain("share one engine session", server.StandardError, StringComparison.Ordinal);
        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.Allowed], await PlaceOrdersAsync(alice, 2));
        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.RateLimited], await PlaceOrdersAsync(aliceAgain, 2));
        Assert.Equal(ThreeThenLimited, await PlaceOrdersAsync(bob, 4));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync());
        Assert.Contains("401", refused.ToString(), StringComparison.Ordinal);
    }
}
