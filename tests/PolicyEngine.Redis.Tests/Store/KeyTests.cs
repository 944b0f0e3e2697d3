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
        await store.Acquire(Epoch.AddSeconds(1), Count("l1", Session, TimeSpan.FromMinutes(1), 5)); // a second entry: the count's list
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

        // counter states 2 and the count's list of older entries, pending 1, grant 1, grant index, session index,
        // pending index and expiry, sequence
        Assert.Equal(10, keys.Count);
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

        var (state, entries) = new Internal.RedisKeys(prefix).Counter(Count("l1", Session, TimeSpan.FromMinutes(1), 5));
        Assert.Equal(1, await db.ListLengthAsync(entries));
        Assert.InRange((await db.KeyTimeToLiveAsync(state))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
        Assert.InRange((await db.KeyTimeToLiveAsync(entries))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_counters_TTL_is_set_again_only_when_it_would_no_longer_cover_the_window_and_half_the_margin()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 1000);
        var (state, entries) = new Internal.RedisKeys(prefix).Counter(in charge);
        var db = redis.Require().GetDatabase();
        await store.Acquire(Epoch, charge);
        await store.Acquire(Epoch.AddSeconds(1), charge); // a new list: both keys are set to keep until 1 s + 1 min + 1 min margin
        await db.KeyExpireAsync(state, TimeSpan.FromSeconds(5)); // marks the TTLs: a refresh would raise them again
        await db.KeyExpireAsync(entries, TimeSpan.FromSeconds(5));

        await store.Acquire(Epoch.AddSeconds(20), charge); // 20 s + 1 min + 30 s is before 2 min 1 s: no refresh
        Assert.True((await db.KeyTimeToLiveAsync(state))!.Value <= TimeSpan.FromSeconds(5));
        Assert.True((await db.KeyTimeToLiveAsync(entries))!.Value <= TimeSpan.FromSeconds(5));

        await store.Acquire(Epoch.AddSeconds(32), charge); // 32 s + 1 min + 30 s is past it: both are set to 2 min again
        Assert.InRange((await db.KeyTimeToLiveAsync(state))!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromMinutes(2));
        Assert.InRange((await db.KeyTimeToLiveAsync(entries))!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromMinutes(2));
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

        var db = redis.Require().GetDatabase();
        var (state, entries) = new Internal.RedisKeys(prefix).Counter(in charge);
        long usage = (long)await db.ExecuteAsync("MEMORY", "USAGE", state) + (long)await db.ExecuteAsync("MEMORY", "USAGE", entries);
        TestContext.Current.SendDiagnosticMessage($"MEMORY USAGE of a full counter, max {max}: {usage} bytes");
        Assert.InRange(usage, 1, bytes);
    }
}
