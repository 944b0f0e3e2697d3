using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>
/// The store runs as a function library (FCALL) where Redis has functions, else as scripts (EVALSHA). A lost library
/// (FUNCTION FLUSH, a restart without persistence) or script cache (SCRIPT FLUSH, a failover) is given again without
/// the caller seeing it, and a server that refuses functions is served by the scripts.
/// </summary>
public sealed class ScriptCacheTests(RedisFixture redis)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Function_flush_is_recovered_transparently_on_a_connection_without_admin_mode()
    {
        using var server = redis.StartOwnServer(); // flushing the shared server would disturb other tests
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.EndPoint.ToString()); // as a user's
        using var store = new RedisStateStore(connection, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) });
        await AssertRecoversFrom(store, () => admin.GetServer(server.EndPoint).ExecuteAsync("FUNCTION", "FLUSH"));

        Assert.True(store.UsesFunctionsForTests);
        string stats = (string)(await admin.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        Assert.Contains("cmdstat_fcall:calls=", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_evalsha", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_flush_is_recovered_transparently_when_running_as_scripts()
    {
        using var server = redis.StartOwnServer();
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        using var store = new RedisStateStore(connection, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10), UseFunctions = false });
        await AssertRecoversFrom(store, () => connection.GetServer(server.EndPoint).ScriptFlushAsync());

        // Calls send the hash, not the script, once the server has it: one short round trip.
        string stats = (string)(await connection.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        Assert.Contains("cmdstat_evalsha:calls=", stats, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_fcall", stats, StringComparison.Ordinal);
    }

    /// <summary>Spends, loses the Lua, and still decides right; approvals and refunds, the other operations, recover too.</summary>
    private static async Task AssertRecoversFrom(RedisStateStore store, Func<Task> loseTheLua)
    {
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 3);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind); // loads it
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);

        await loseTheLua();
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, charge)).Kind);

        await loseTheLua();
        Assert.False(await store.DenyAsync("apr_none", Epoch, Token));
        Assert.Empty(await store.GetPendingApprovalsAsync("fp", Epoch, Token));
    }

    [Fact]
    public async Task A_server_that_refuses_functions_is_served_by_the_scripts()
    {
        using var server = redis.StartOwnServer();
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        // A user who may run everything but functions, as on a managed Redis whose ACL withholds them.
        await admin.GetServer(server.EndPoint).ExecuteAsync("ACL", "SETUSER", "app", "on", ">secret", "~*", "+@all", "-fcall", "-function");
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",user=app,password=secret");
        using var store = new RedisStateStore(connection, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) });
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 2);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);
        Assert.False(store.UsesFunctionsForTests);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, charge)).Kind);
    }
}
