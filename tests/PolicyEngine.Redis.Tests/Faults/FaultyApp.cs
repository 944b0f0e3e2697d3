using StackExchange.Redis;

namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// One application instance on a <see cref="PrivateRedisServer"/>: its connection, its store (counted), its evaluator.
/// Disposing it is the application stopping; a new one on the same server and prefix is the application restarting.
/// </summary>
internal sealed class FaultyApp : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromMilliseconds(400);

    private readonly RedisStateStore _redis;

    public FaultyApp(PrivateRedisServer server, string policyJson, string prefix)
    {
        var configuration = ConfigurationOptions.Parse(server.Configuration);

        // Fail fast while disconnected: a command queued during the outage would otherwise run after the reconnect and
        // spend for a call that was told state_unavailable (never more than max, but the counts below are exact).
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        Connection = ConnectionMultiplexer.Connect(configuration);
        _redis = new RedisStateStore(Connection, new RedisStateOptions { KeyPrefix = prefix, Timeout = Timeout, BreakDuration = BreakDuration });
        Store = new CountingStore(_redis);
        Evaluator = new PolicyEvaluator(Policy.Parse(policyJson), new PolicyEngineOptions { StateStore = Store });
    }

    public ConnectionMultiplexer Connection { get; }

    public CountingStore Store { get; }

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

    public void Dispose()
    {
        Evaluator.Dispose();
        _redis.Dispose();
        Connection.Dispose();
    }
}
