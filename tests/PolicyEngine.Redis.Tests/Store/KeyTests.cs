using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>What the store leaves in Redis: keys under one hash tag, no raw session or per value in a key, and a TTL on every key.</summary>
public sealed class KeyTests(RedisFixture redis)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_key_is_tagged_private_and_expires()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        const string Session = "session-of-alice@example.com";
        const string Account = "\"ACCT-0042-SECRET\"";
        var ttl = TimeSpan.FromMinutes(30);
        await store.Acquire(Epoch, Count("l1", Session, TimeSpan.FromMinutes(1), 5), Cost("l2", Account, TimeSpan.FromDays(1), 10m, 2.5m, calendar: true));
        foreach (var id in new[] { "apr_a", "apr_b" })
        {
            await store.AcquireAsync(new StateRequest([], Epoch, "fp")
            {
                GrantId = id,
                Pending = new PendingApproval(id, "transfer", Session, "{}", null, null, Epoch, Epoch + ttl, false),
                ApprovalTtl = ttl,
            }, Token);
        }

        Assert.True(await store.ApproveAsync("apr_a", "fp", ttl, Epoch, Token));

        var server = redis.Require().GetServers().First();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "{" + prefix + "}*"))
        {
            keys.Add(key);
        }

        // counters 2, pending 1, grant 1, grant index, session index, pending index and expiry, sequence
        Assert.Equal(9, keys.Count);
        var db = redis.Require().GetDatabase();
        foreach (var key in keys)
        {
            string name = key.ToString();
            Assert.StartsWith("{" + prefix + "}:", name, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", name, StringComparison.Ordinal);
            Assert.DoesNotContain("ACCT", name, StringComparison.Ordinal);
            var left = await db.KeyTimeToLiveAsync(key);
            Assert.True(left is { } t && t > TimeSpan.Zero, $"{name} has no TTL");
            // What it holds plus a minute's margin: a day for the calendar budget, 30 min for approvals, 1 min for the count.
            Assert.True(left <= TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1), $"{name}: TTL {left}");
        }

        Assert.InRange((await db.KeyTimeToLiveAsync(new Internal.RedisKeys(prefix).Counter(Count("l1", Session, TimeSpan.FromMinutes(1), 5))))!.Value,
            TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
    }

    [Theory]
    [InlineData(10, 1024)] // measured: 520 bytes
    [InlineData(1000, 32 * 1024)] // measured: 20,896 bytes (Redis 7.0)
    public async Task A_full_counter_stays_small(int max, long bytes)
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var charge = Count("l", "s", TimeSpan.FromHours(1), max);
        for (int i = 0; i < max; i++)
        {
            await store.Acquire(Epoch.AddSeconds(i), charge); // one entry each: the worst case of an exact limit
        }

        var usage = (long)(await redis.Require().GetDatabase().ExecuteAsync("MEMORY", "USAGE", new Internal.RedisKeys(prefix).Counter(in charge)));
        TestContext.Current.SendDiagnosticMessage($"MEMORY USAGE of a full counter, max {max}: {usage} bytes");
        Assert.InRange(usage, 1, bytes);
    }
}
