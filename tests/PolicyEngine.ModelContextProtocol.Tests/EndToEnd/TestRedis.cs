using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// A Redis for a test: the one in POLICYENGINE_REDIS (host:port) when set (.ci/run starts one), else a redis-server
/// started for the test and stopped with it. Without either the test skips, unless CI is set: then it fails.
/// </summary>
internal sealed class TestRedis : IDisposable
{
    private readonly RedisServer? _own;

    private TestRedis(string endPoint, RedisServer? own)
    {
        EndPoint = endPoint;
        _own = own;
    }

    public string EndPoint { get; }

    public static TestRedis Acquire()
    {
        string? configured = Environment.GetEnvironmentVariable("POLICYENGINE_REDIS");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new TestRedis(configured, null);
        }

        try
        {
            var own = RedisServer.Start();
            return new TestRedis(own.EndPoint, own);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException("CI is set, so the Redis tests must run, but no redis-server could be started.", ex);
            }

            Assert.Skip($"no Redis to test against ({ex.Message})");
            throw; // not reached: Skip throws
        }
    }

    public void Dispose() => _own?.Dispose();
}
