using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisFixture))]

namespace PolicyEngine.Redis.Tests.TestSupport;

/// <summary>
/// The Redis every test shares: the one in POLICYENGINE_REDIS (host:port) when set (.ci/run starts one), else a
/// redis-server started here and stopped after the run. Without either, tests skip, unless CI is set: then they fail.
/// Tests keep apart by key prefix (<see cref="NewPrefix"/>), never by flushing.
/// </summary>
public sealed class RedisFixture : IDisposable
{
    private static int s_prefixes;
    private readonly RedisServer? _own;
    private readonly string? _unavailable;

    public RedisFixture()
    {
        string? configured = Environment.GetEnvironmentVariable("POLICYENGINE_REDIS");
        try
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                _own = RedisServer.Start();
                configured = _own.EndPoint;
            }

            EndPoint = configured;
            Connection = ConnectionMultiplexer.Connect(configured + ",allowAdmin=true");
        }
        catch (Exception ex) when (ex is InvalidOperationException or RedisConnectionException or System.ComponentModel.Win32Exception)
        {
            _unavailable = $"no Redis to test against ({ex.Message})";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException("CI is set, so the Redis tests must run: " + _unavailable, ex);
            }
        }
    }

    public string? EndPoint { get; }

    public IConnectionMultiplexer? Connection { get; }

    /// <summary>The connection; skips the test when there is no Redis (never under CI, where the fixture already failed).</summary>
    public IConnectionMultiplexer Require()
    {
        Assert.SkipWhen(Connection is null, _unavailable ?? "no Redis");
        return Connection!;
    }

    /// <summary>
    /// A redis-server of the test's own (to flush, kill or restart without disturbing other tests); skips like
    /// <see cref="Require"/> when none can be started and CI is not set.
    /// </summary>
    public RedisServer StartOwnServer(bool appendOnly = false)
    {
        Require();
        Assert.SkipWhen(RedisServer.Executable is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
            "redis-server is not installed here (the shared Redis is remote)");
        return RedisServer.Start(appendOnly);
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"pe-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_prefixes)}";

    /// <summary>A store in client-time mode (a virtual clock) with a generous timeout: a loaded machine must not turn answers into state_unavailable.</summary>
    public RedisStateStore Store(string? prefix = null, RedisClock clock = RedisClock.Client, bool useFunctions = true) =>
        new(Require(), new RedisStateOptions { KeyPrefix = prefix ?? NewPrefix(), Clock = clock, Timeout = TimeSpan.FromSeconds(10), UseFunctions = useFunctions });

    public void Dispose()
    {
        Connection?.Dispose();
        _own?.Dispose();
    }
}
