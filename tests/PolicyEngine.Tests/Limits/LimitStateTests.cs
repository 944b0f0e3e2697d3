using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Limits;
using static PolicyEngine.Tests.Limits.LockProbe;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// One limit's counters (<c>LimitState</c>): a key's counter is made once and found after, even at the cap; two calls
/// that make it at once keep one and give the other's slot back; a new max takes each counter's lock, and an unchanged
/// one changes nothing. Found by the mutation run.
/// </summary>
public sealed class LimitStateTests : IDisposable
{
    private const string PerSession = """{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":10}]}}""";

    // A host cache that never scans by itself during a test: only the store adds and removes.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { ExpirationScanFrequency = TimeSpan.FromHours(1) });

    public void Dispose() => _cache.Dispose();

    private (LimitState State, CounterStore Store) Build(TimeProvider clock, int cap = 100)
    {
        var store = new CounterStore(new PolicyEngineOptions { TimeProvider = clock, LimitCache = _cache, MaxTrackedLimitKeys = cap });
        return (TestSupport.Engine.FirstLimit(PerSession, store), store);
    }

    [Fact]
    public void At_the_cap_a_key_that_has_a_counter_gets_it_back()
    {
        var (state, store) = Build(TestSupport.Engine.Clock(), cap: 1);
        var counter = state.GetOrCreate("a");
        Assert.NotNull(counter);

        Assert.Same(counter, state.GetOrCreate("a")); // found, not made again: there is no room for another
        Assert.Null(state.GetOrCreate("b"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Two_threads_making_one_keys_counter_at_once_keep_one_and_give_the_other_slot_back()
    {
        // The clock is read once per counter made, after the slot is taken and before the counter is added: both threads
        // meet there, so both have missed the key and made a counter, and one of them loses the race to add it.
        var clock = new RendezvousClock();
        var (state, store) = Build(clock);
        using var meet = new Barrier(2);
        clock.Meet = meet;
        WindowCounter? first = null, second = null;
        var threads = new[] { Start(() => first = state.GetOrCreate("a")), Start(() => second = state.GetOrCreate("a")) };
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(10))));
        clock.Meet = null;

        Assert.True(clock.Met, "the two threads did not make their counters at once");
        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal([first], state.Counters);
        Assert.Equal((1, 1), (store.Count, _cache.Count));
    }

    [Fact]
    public void A_new_max_waits_for_a_counter_a_call_holds_and_leaves_its_lock_as_it_was()
    {
        var (state, _) = Build(TestSupport.Engine.Clock());
        var counter = state.GetOrCreate("a")!;

        RunWhileLocked(counter, () => state.Rebind(9));
        Assert.Equal(9, state.Bounds.Max);
        AssertLockFree(counter);
    }

    [Fact]
    public void A_reload_that_keeps_a_limits_max_keeps_its_remembered_denial()
    {
        // The remembered denial is the only state a reload could drop here, and it shows only when the clock steps back:
        // it still says the room frees at 160, while a fresh check counts from the newest entry's time (100) instead.
        var clock = new TestSupport.SteppingClock();
        const string OneCall = """{"version":"1","default":"allow","all_tools":{"limits":[{"max":1,"window":60}]}}""";
        using var ev = new PolicyEvaluator(Policy.Parse(OneCall), new PolicyEngineOptions { TimeProvider = clock });
        var call = TestSupport.Engine.Call("t", session: "s");
        clock.Set(100);
        Assert.True(ev.Evaluate(call).IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(60), ev.Evaluate(call).RetryAfter);
        clock.Set(90);
        Assert.Equal(TimeSpan.FromSeconds(70), ev.Evaluate(call).RetryAfter);

        ev.Reload(Policy.Parse(OneCall));
        Assert.Equal(TimeSpan.FromSeconds(70), ev.Evaluate(call).RetryAfter);
    }

    /// <summary>A monotonic clock at which two threads meet while <see cref="Meet"/> is set.</summary>
    private sealed class RendezvousClock : TimeProvider
    {
        public Barrier? Meet { get; set; }

        public bool Met { get; private set; }

        public override long GetTimestamp()
        {
            if (Meet is { } meet && meet.SignalAndWait(TimeSpan.FromSeconds(5)))
            {
                Met = true;
            }

            return base.GetTimestamp();
        }
    }
}
