using System.Collections.Concurrent;
using System.Reflection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>samples/McpServer started as a child process over stdio, with its own copy of the sample policy.</summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly List<(string Fragment, TaskCompletionSource Seen)> _waiters = [];
    private readonly Lock _gate = new();

    private SampleServer(TempPolicyFile policy) => Policy = policy;

    public static string Directory { get; } =
        typeof(SampleServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SampleServerDirectory").Value!;

    public static string SamplePolicy => File.ReadAllText(Path.Combine(Directory, "policy.json"));

    public TempPolicyFile Policy { get; }

    public McpClient Client { get; private set; } = null!;

    public string DecisionLog => Policy.Sibling("decisions.jsonl");

    public static async Task<SampleServer> StartAsync(
        bool elicitApprovals = false,
        Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>>? elicitation = null)
    {
        var server = new SampleServer(new TempPolicyFile(SamplePolicy));
        List<string> arguments = [Path.Combine(Directory, "McpServer.dll"), "--policy", server.Policy.Path, "--decision-log", server.DecisionLog];
        if (elicitApprovals)
        {
            arguments.Add("--elicit-approvals");
        }

        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "sample-server",
            Command = "dotnet",
            Arguments = arguments,
            StandardErrorLines = server.OnStandardError,
        });
        var options = new McpClientOptions();
        if (elicitation is not null)
        {
            options.Handlers = new McpClientHandlers { ElicitationHandler = elicitation };
        }

        try
        {
            server.Client = await McpClient.CreateAsync(transport, options, cancellationToken: TestContext.Current.CancellationToken);
        }
        catch
        {
            server.Policy.Dispose();
            throw;
        }

        return server;
    }

    public ValueTask<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?>? arguments = null) =>
        Client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Completes when the server has written a line containing the fragment to stderr (bounded, not a sleep).</summary>
    public Task WaitForStandardErrorAsync(string fragment)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stderr.Any(l => l.Contains(fragment, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((fragment, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        Policy.Dispose();
    }

    private void OnStandardError(string line)
    {
        lock (_gate)
        {
            _stderr.Enqueue(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Fragment, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
