using PolicyEngine.Redis.Internal;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>Counter keys are cached per (limit, partition), and the cache stays bounded however many sessions call.</summary>
public sealed class KeyCacheTests
{
    [Fact]
    public void A_cached_name_is_the_name_computed_afresh()
    {
        var keys = new RedisKeys("app");
        var charge = Count("l1", "alice", TimeSpan.FromMinutes(1), 5);
        var first = keys.Counter(in charge);
        Assert.Equal(first, keys.Counter(in charge));
        Assert.Equal(first, new RedisKeys("app").Counter(in charge));
        Assert.NotEqual(first, keys.Counter(Count("l1", "bob", TimeSpan.FromMinutes(1), 5)));
        Assert.NotEqual(first, keys.Counter(Count("l2", "alice", TimeSpan.FromMinutes(1), 5)));
        Assert.Equal("{app}:s:l1:" + RedisKeys.Digest("alice"), first.State.ToString());
        Assert.Equal("{app}:e:l1:" + RedisKeys.Digest("alice"), first.Entries.ToString());
    }

    [Fact]
    public void The_cache_starts_again_empty_past_its_bound()
    {
        var keys = new RedisKeys("app");
        for (int i = 0; i < RedisKeys.MaxCachedCounters + 10; i++)
        {
            keys.Counter(Count("l", "session-" + i, TimeSpan.FromMinutes(1), 5));
            Assert.InRange(keys.CachedCountersForTests, 1, RedisKeys.MaxCachedCounters);
        }

        Assert.Equal(10, keys.CachedCountersForTests);
    }
}
