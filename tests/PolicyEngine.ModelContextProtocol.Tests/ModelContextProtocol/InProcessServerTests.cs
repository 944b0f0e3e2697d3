using System.IO.Pipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
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
        await using var pair = await ServerPair.StartAsync("""
            { "version": "1", "default": "deny", "tools": { "pay": { "action": "require_approval", "reason": "Ask first." } } }
            """);
        var evaluator = pair.Host.Services.GetRequiredKeyedService<PolicyEvaluator>("grant-a");
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
        await using var pair = await ServerPair.StartAsync($$"""
            { "version": "1", "default": "deny",
              "tools": { "ping": { "pin": "{{pingPin}}" }, "pay": { "pin": "sha256:{{new string('a', 64)}}" } } }
            """);

        Assert.Equal("pong", StdioServerTests.Text(await pair.CallAsync("ping", null)));
        StdioServerTests.AssertPolicyResult(
            await pair.CallAsync("pay", new Dictionary<string, object?> { ["amount"] = 1 }), "deny", DecisionCodes.DefinitionChanged, "/tools/pay/pin");
    }

    [Fact]
    public async Task An_unknown_tool_is_decided_by_the_policy_before_the_sdk_rejects_it()
    {
        await using var pair = await ServerPair.StartAsync("""{ "version": "1", "default": "deny" }""");

        StdioServerTests.AssertPolicyResult(await pair.CallAsync("no_such_tool", null), "deny", DecisionCodes.DefaultDeny, "/default");
    }

    private sealed class ServerPair : IAsyncDisposable
    {
        private readonly List<IDisposable> _pipes = [];

        public IHost Host { get; private set; } = null!;

        public McpClient Client { get; private set; } = null!;

        public static async Task<ServerPair> StartAsync(string policy)
        {
            var pair = new ServerPair();
            var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
            var serverIn = new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle);
            var toClient = new AnonymousPipeServerStream(PipeDirection.Out);
            var clientIn = new AnonymousPipeClientStream(PipeDirection.In, toClient.ClientSafePipeHandle);
            pair._pipes.AddRange([toServer, serverIn, toClient, clientIn]);

            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddPolicyEngine("grant-a", e => e.FromJson(policy));
            builder.Services.AddMcpServer()
                .WithStreamServerTransport(serverIn, toClient)
                .WithTools([Pay, Ping])
                .WithPolicyEngine(o => o.PolicyName = "grant-a");
            pair.Host = builder.Build();
            await pair.Host.StartAsync(TestContext.Current.CancellationToken);
            pair.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer, clientIn), cancellationToken: TestContext.Current.CancellationToken);
            return pair;
        }

        public ValueTask<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?>? arguments) =>
            Client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Host.StopAsync(TestContext.Current.CancellationToken);
            Host.Dispose();
            _pipes.ForEach(p => p.Dispose());
        }
    }
}
