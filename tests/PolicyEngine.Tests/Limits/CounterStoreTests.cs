using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Limits;
using PolicyEngine.Tests.TestSupport;
using static PolicyEngine.Tests.Limits.LockProbe;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// The counter store's paths that drop a counter (a lost creation race, an unspent counter, a reload's release) each
/// take the counter's lock, give the slot back once, and leave neither the cache entry nor the lock behind; the
/// cap's sweep leaves its lock free for the next caller; idle counters leave below the cap too. Found by the
/// mutation run: removing any of these locks, removals or decrements went unnoticed. Locks are shown held or free
/// with <see cref="LockProbe"/>.
/// </summary>
public sealed class CounterStoreTests : IDisposable
{
    private const string PerSession = """{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":10}]}}""";

    // A host cache that never scans by itself during a test (real clock, hourly scans): only the store adds and removes.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { ExpirationScanFrequency = TimeSpan.FromHours(1) });
    private readonly CounterStore _store;
    private readonly LimitState _state;

    public CounterStoreTests()
    {
        _store = new CounterStore(new PolicyEngineOptions { TimeProvider = Engine.Clock(), LimitCache = _cache });
        _state = TestSupport.Engine.FirstLimit(PerSession, _store);
    }

    public void Dispose()
    {
        _store.Dispose();
        _cache.Dispose();
    }

    private void Spend(WindowCounter counter)
    {
        counter.Enter();
        counter.SpendUnsynchronized(_state.Now, 1);
        counter.Exit();
    }

    [Fact]
    public void A_counter_that_lost_the_race_to_be_added_is_discarded_under_its_lock_and_gives_its_slot_back()
    {
        var kept = _state.GetOrCreate("a")!;
        var loser = _store.TryCreate(_state, "a")!; // made by a second call for the same key, which GetOrAdd will not keep
        Assert.Equal((2, 2), (_store.Count, _cache.Count));

        RunWhileLocked(loser, () => _store.Discard(loser));

        Assert.True(loser.Retired);
        Assert.False(kept.Retired);
        Assert.Equal((1, 1), (_store.Count, _cache.Count));
        AssertLockFree(loser);
    }

    [Fact]
    public void An_unspent_counter_is_released_once_under_its_lock_and_a_spent_one_is_kept()
    {
        var empty = _state.GetOrCreate("a")!;
        var spent = _state.GetOrCreate("b")!;
        Spend(spent);

        RunWhileLocked(empty, () => _store.ReleaseIfEmpty(empty));
        _store.ReleaseIfEmpty(empty); // a second release gives nothing back twice
        _store.ReleaseIfEmpty(spent);

        Assert.True(empty.Retired);
        Assert.False(spent.Retired);
        Assert.Equal((1, 1), (_store.Count, _cache.Count));
        Assert.Equal([spent], _state.Counters);
        AssertLockFree(empty);
        AssertLockFree(spent);
    }

    [Fact]
    public void A_counter_whose_spend_was_all_refunded_is_not_released_as_unspent()
    {
        var counter = _state.GetOrCreate("a")!;
        Assert.True(counter.IsEmpty);
        counter.Enter();
        long at = counter.SpendUnsynchronized(_state.Now, 1);
        counter.RefundUnsynchronized(at, 1); // the total is 0 again, but the ring keeps the entry
        counter.Exit();

        Assert.False(counter.IsEmpty);
        _store.ReleaseIfEmpty(counter);
        Assert.False(counter.Retired);
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void Releasing_a_limit_a_reload_dropped_retires_its_busy_counters_under_their_locks_once()
    {
        var a = _state.GetOrCreate("a")!;
        var b = _state.GetOrCreate("b")!;
        Spend(a);
        Spend(b);

        RunWhileLocked(a, () => _store.Release(_state));
        _store.Release(_state); // released twice: each slot comes back once

        Assert.True(a.Retired && b.Retired);
        Assert.Equal((0, 0), (_store.Count, _cache.Count));
        Assert.Empty(_state.Counters);
        AssertLockFree(a);
        AssertLockFree(b);
    }

    [Fact]
    public void A_sweep_at_the_cap_on_one_thread_leaves_the_sweep_free_for_the_next_thread()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock, o =>
        {
            o.MaxTrackedLimitKeys = 3;
            o.LimitCache = _cache; // scans nothing by itself: only the sweep frees room
        });
        void Fill(params string[] sessions)
        {
            foreach (var s in sessions)
            {
                Assert.True(ev.Evaluate(Engine.Call("t", session: s)).IsAllowed);
            }
        }

        Fill("a", "b", "c");
        clock.Advance(TimeSpan.FromSeconds(11));
        string? code = null;
        var sweeper = Start(() => code = ev.Evaluate(Engine.Call("t", session: "x")).Code); // at the cap: sweeps a, b, c
        Assert.True(sweeper.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(DecisionCodes.DefaultAllow, code);

        Fill("y", "z");
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(3, ev.TrackedLimitKeys);
        Assert.True(ev.Evaluate(Engine.Call("t", session: "w")).IsAllowed); // this thread must be able to sweep in turn
        Assert.Equal(1, ev.TrackedLimitKeys);
    }

    [Fact]
    public void Below_the_cap_idle_counters_leave_the_evaluators_own_cache()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock);
        foreach (var s in new[] { "a", "b", "c" })
        {
            Assert.True(ev.Evaluate(Engine.Call("t", session: s)).IsAllowed);
        }

        clock.Advance(TimeSpan.FromSeconds(11)); // idle now, and past the cache's scan interval (10 s on the injected clock)
        Assert.True(ev.Evaluate(Engine.Call("t", session: "new")).IsAllowed); // adding a counter starts the cache's scan
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ev.TrackedLimitKeys != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"idle counters were not retired: {ev.TrackedLimitKeys} tracked");
            Thread.Sleep(5); // the cache retires them on the thread pool
        }
    }

    [Fact]
    public void Disposing_the_evaluator_leaves_the_hosts_cache_usable()
    {
        var ev = Engine.For(PerSession, configure: o => o.LimitCache = _cache);
        Assert.True(ev.Evaluate(Engine.Call("t", session: "a")).IsAllowed);
        ev.Dispose();
        _cache.Set("host's own entry", 1);
        Assert.Equal(1, _cache.Get<int>("host's own entry"));
    }

    [Fact]
    public void A_host_cache_with_a_size_limit_holds_each_counter_at_size_one()
    {
        // A MemoryCache with a SizeLimit refuses entries that have no size: each counter must say it is 1.
        using var sized = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10, TrackStatistics = true, ExpirationScanFrequency = TimeSpan.FromHours(1) });
        using var ev = Engine.For(PerSession, configure: o => o.LimitCache = sized);
        foreach (var s in new[] { "a", "b", "c" })
        {
            Assert.True(ev.Evaluate(Engine.Call("t", session: s)).IsAllowed);
        }

        Assert.Equal((3, 3L), (sized.Count, sized.GetCurrentStatistics()?.CurrentEstimatedSize ?? -1));
    }

    [Fact]
    public void A_sweep_that_frees_a_counter_does_not_make_the_next_call_at_the_cap_rest()
    {
        // Only a pass that frees nothing rests a second; one that freed a counter lets the next call at the cap sweep again.
        var clock = Engine.Clock();
        using var ev = Engine.For(PerSession, clock, o =>
        {
            o.MaxTrackedLimitKeys = 3;
            o.LimitCache = _cache;
        });
        Assert.True(ev.Evaluate(Engine.Call("t", session: "a")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(ev.Evaluate(Engine.Call("t", session: "b")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(ev.Evaluate(Engine.Call("t", session: "c")).IsAllowed);

        clock.Advance(TimeSpan.FromSeconds(9.6)); // 10.2 s: a is idle, b and c are not
        Assert.True(ev.Evaluate(Engine.Call("t", session: "x")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(0.35)); // 10.55 s, within a second of that sweep: b is idle now
        Assert.True(ev.Evaluate(Engine.Call("t", session: "y")).IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys);
    }
}
