using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>A lost script cache (SCRIPT FLUSH, a restart, a failover) is reloaded without the caller seeing it.</summary>
public sealed class ScriptCacheTests(RedisFixture redis)
{
    [Fact]
    public async Task Script_flush_is_recovered_transparently()
    {
        using var server = redis.StartOwnServer(); // flushing the shared server's scripts would disturb other tests
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        using var store = new RedisStateStore(connection, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) });
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 3);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind); // the script is cached now

        await connection.GetServer(server.EndPoint).ScriptFlushAsync();
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, charge)).Kind);

        // Approvals and refunds run their own scripts: they recover too.
        await connection.GetServer(server.EndPoint).ScriptFlushAsync();
        Assert.False(await store.DenyAsync("apr_none", Epoch, TestContext.Current.CancellationToken));
        Assert.Empty(await store.GetPendingApprovalsAsync("fp", Epoch, TestContext.Current.CancellationToken));

        // Calls send the hash, not the script, once the server has it: one short round trip.
        string stats = (string)(await connection.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        Assert.Contains("cmdstat_evalsha:calls=", stats, StringComparison.Ordinal);
    }
}
