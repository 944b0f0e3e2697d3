using System.Diagnostics;
using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// One application instance on a test's own <see cref="RedisServer"/>: its connection, its store (counted), its evaluator.
/// Disposing it is the application stopping; a new one on the same server and prefix is the application restarting.
/// </summary>
internal sealed class FaultyApp : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromMilliseconds(400);

    private readonly RedisStateStore _redis;
    private readonly RedisServer _server;
    private string? _frozen;

    public FaultyApp(RedisServer server, string policyJson, string prefix)
    {
        _server = server;
        var configuration = ConfigurationOptions.Parse(server.EndPoint + ",abortConnect=false,allowAdmin=true,connectTimeout=500,syncTimeout=500,asyncTimeout=500");

        // Fail fast while disconnected: a command queued during the outage would otherwise run after the reconnect and
        // spend for a call that was told state_unavailable (never more than max, but the counts below are exact).
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        Connection = ConnectionMultiplexer.Connect(configuration);
        _redis = new RedisStateStore(Connection, new RedisStateOptions { KeyPrefix = prefix, Timeout = Timeout, BreakDuration = BreakDuration });
        Store = new CountingStore(_redis);
        Evaluator = new PolicyEvaluator(Policy.Parse(policyJson), new PolicyEngineOptions { StateStore = Store, Logger = Failures });
    }

    public ConnectionMultiplexer Connection { get; }

    public CountingStore Store { get; }

    /// <summary>The evaluator's log, and the failures metric.</summary>
    public FailureLog Failures { get; } = new();

    public PolicyEvaluator Evaluator { get; }

    /// <summary>Waits until the connection is back after the server restarted (bounded), then for the breaker's interval.</summary>
    public async Task ReconnectedAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!Connection.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        Assert.True(Connection.IsConnected, "the connection did not come back within 15 s of the restart");
        await Task.Delay(BreakDuration, cancellationToken);
    }

    /// <summary>Drops the server's script cache, as <c>SCRIPT FLUSH</c>, a restart or a failover would.</summary>
    public Task FlushScriptsAsync() => Connection.GetServer(_server.EndPoint).ScriptFlushAsync();

    /// <summary>Freezes the server (SIGSTOP): its connections stay open and nothing answers, as with a hung or overloaded store.</summary>
    public void Freeze()
    {
        // The shared RedisServer helper does not expose its process; Redis names its own (asked before it stops answering).
        string info = Connection.GetServer(_server.EndPoint).InfoRaw("server")!;
        _frozen = info.Split('\n').Single(line => line.StartsWith("process_id:", StringComparison.Ordinal))["process_id:".Length..].Trim();
        Signal("STOP", _frozen);
    }

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public void Thaw() => Signal("CONT", _frozen ?? throw new InvalidOperationException("The server is not frozen."));

    private static void Signal(string signal, string pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        Evaluator.Dispose();
        _redis.Dispose();
        Connection.Dispose();
        Failures.Dispose();
    }
}
