using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// docs: a host-supplied <see cref="PolicyEngineOptions.LimitCache"/> really holds the counters and lets idle ones go; and a
/// counter the cache evicts while it is busy (a host's compaction, or a spend racing the expiry) is put back, so that it can
/// still expire later. The cache runs eviction callbacks on the thread pool, so the checks wait for them, boundedly.
/// </summary>
public sealed class HostLimitCacheTests
{
    private const string PerSession = """{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""";

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void The_hosts_cache_holds_one_entry_per_counter_and_idle_ones_leave_it()
    {
        var clock = Engine.Clock();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var ev = Engine.For(PerSession, clock, o => o.LimitCache = cache);
        Assert.Equal(0, cache.Count);
        foreach (var session in new[] { "a", "b", "c", "a" })
        {
            Assert.True(ev.Evaluate(Engine.Call("t", session: session)).IsAllowed);
        }

        Assert.Equal((3, 3), (cache.Count, ev.TrackedLimitKeys));
        clock.Advance(TimeSpan.FromSeconds(61));
        cache.Compact(0); // drops expired entries only: every counter is idle now
        Assert.Equal(0, cache.Count);
        WaitUntil(() => ev.TrackedLimitKeys == 0, "the evicted idle counters are retired");
        Assert.True(ev.Evaluate(Engine.Call("t", session: "a")).IsAllowed); // a fresh window, in the cache again
        Assert.Equal((1, 1), (cache.Count, ev.TrackedLimitKeys));
    }

    [Fact]
    public void A_counter_evicted_while_busy_goes_back_into_the_cache_and_still_expires()
    {
        var clock = Engine.Clock();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var ev = Engine.For(PerSession, clock, o => o.LimitCache = cache);
        foreach (var session in new[] { "a", "b", "c" })
        {
            ev.Evaluate(Engine.Call("t", session: session));
        }

        foreach (var key in cache.Keys.ToList())
        {
            cache.Remove(key); // the host clears its cache while every counter holds a spend
        }

        WaitUntil(() => cache.Count == 3, "the busy counters are tracked by the cache again");
        Assert.Equal(3, ev.TrackedLimitKeys);
        var codes = Enumerable.Range(0, 5).Select(_ => ev.Evaluate(Engine.Call("t", session: "a")).Code).ToList();
        Assert.Equal([.. Enumerable.Repeat(DecisionCodes.DefaultAllow, 4), DecisionCodes.RateLimited], codes); // the first spend was kept: 5 in all
        clock.Advance(TimeSpan.FromSeconds(61));
        cache.Compact(0);
        WaitUntil(() => ev.TrackedLimitKeys == 0 && cache.Count == 0, "the re-tracked counters expire once idle");
    }
}
