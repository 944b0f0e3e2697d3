using System.IO.Pipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary>A server under a named policy engine and a client, in one process over pipes.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    public const string PolicyName = "grant-a";

    private readonly List<IDisposable> _pipes = [];

    public IHost Host { get; private set; } = null!;

    public McpClient Client { get; private set; } = null!;

    public PolicyEvaluator Evaluator => Host.Services.GetRequiredKeyedService<PolicyEvaluator>(PolicyName);

    public static async Task<InProcessServer> StartAsync(
        string policy, IEnumerable<McpServerTool> tools, Action<McpPolicyOptions>? configure = null, Action<IMcpServerBuilder>? server = null,
        Action<PolicyEngineBuilder>? engine = null, McpClientOptions? clientOptions = null)
    {
        var pair = new InProcessServer();
        var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
        var serverIn = new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle);
        var toClient = new AnonymousPipeServerStream(PipeDirection.Out);
        var clientIn = new AnonymousPipeClientStream(PipeDirection.In, toClient.ClientSafePipeHandle);
        pair._pipes.AddRange([toServer, serverIn, toClient, clientIn]);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddPolicyEngine(PolicyName, e =>
        {
            e.FromJson(policy);
            engine?.Invoke(e);
        });
        var mcp = builder.Services.AddMcpServer();
        server?.Invoke(mcp);
        mcp.WithStreamServerTransport(serverIn, toClient)
            .WithTools(tools)
            .WithPolicyEngine(o =>
            {
                o.PolicyName = PolicyName;
                configure?.Invoke(o);
            });
        pair.Host = builder.Build();
        await pair.Host.StartAsync(TestContext.Current.CancellationToken);
        pair.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer, clientIn), clientOptions, cancellationToken: TestContext.Current.CancellationToken);
        return pair;
    }

    public ValueTask<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?>? arguments) =>
        Client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Sends arguments exactly as written (repeated names, any spelling), as a hostile client would.</summary>
    public ValueTask<CallToolResult> CallRawAsync(string tool, string argumentsJson) =>
        Client.CallToolAsync(
            new CallToolRequestParams
            {
                Name = tool,
                Arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(argumentsJson),
            },
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.StopAsync(TestContext.Current.CancellationToken);
        Host.Dispose();
        _pipes.ForEach(p => p.Dispose());
    }
}
