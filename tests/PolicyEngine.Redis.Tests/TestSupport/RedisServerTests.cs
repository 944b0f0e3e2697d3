using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.TestSupport;

/// <summary>The test server helper that fault tests build on: killed and restarted on its port, it keeps its data with an append-only file.</summary>
public sealed class RedisServerTests(RedisFixture redis)
{
    [Fact]
    public async Task A_killed_and_restarted_append_only_server_keeps_counters_and_approvals()
    {
        using var server = redis.StartOwnServer(appendOnly: true);
        var token = TestContext.Current.CancellationToken;
        using var connection = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",abortConnect=false");
        using var store = new RedisStateStore(connection, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) });
        var limit = Count("l", "s", TimeSpan.FromHours(1), 1);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, limit)).Kind);
        await store.AcquireAsync(new StateRequest([], Epoch, "fp")
        {
            GrantId = "apr_r",
            Pending = new PendingApproval("apr_r", "t", "s", "{}", null, null, Epoch, Epoch.AddHours(1), false),
            ApprovalTtl = TimeSpan.FromHours(1),
        }, token);

        server.Kill();
        await Assert.ThrowsAnyAsync<Exception>(async () => await store.Acquire(Epoch, limit));
        server.Restart();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!connection.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, token);
        }

        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddMinutes(1), limit)).Kind);
        Assert.Equal("apr_r", Assert.Single(await store.GetPendingApprovalsAsync("fp", Epoch, token)).ApprovalId);
    }
}
