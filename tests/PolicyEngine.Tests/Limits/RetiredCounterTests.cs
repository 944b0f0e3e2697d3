using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Limits;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// The paths a call takes only when another thread acts between its lookup of a counter and its lock on it: the sweep
/// retires the counter, or a reload lowers the max. The engine reads its clock at known points (the gate after the
/// lookups and before the locks, the sweep inside each idleness check), so a clock that runs an action once, at such a
/// read, stands in for the other thread and makes the interleaving exact. Found by the mutation run.
/// </summary>
public sealed class RetiredCounterTests : IDisposable
{
    private const string OnePerSession = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":10}]}}}""";
    private const string CostPerSession = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":10,"cost":"args.n"}]}}}""";

    // A host cache that never scans by itself during a test (real clock, hourly scans): only the store adds and removes.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { ExpirationScanFrequency = TimeSpan.FromHours(1) });

    public void Dispose() => _cache.Dispose();

    private PolicyEvaluator Evaluator(string policyJson, SteppingClock clock, int cap) =>
        new(Policy.Parse(policyJson), new PolicyEngineOptions { TimeProvider = clock, LimitCache = _cache, MaxTrackedLimitKeys = cap });

    private static ToolCall Call(string session, int? cost = null) =>
        Engine.Call("t", cost is { } n ? $$"""{"n":{{n}}}""" : null, session);

    [Theory]
    [InlineData(OnePerSession, null)] // a count limit (the ring of longs)
    [InlineData(CostPerSession, 1)] // a cost limit (the ring of decimals)
    public void A_counter_the_sweep_retires_between_lookup_and_lock_is_looked_up_again_so_the_spend_counts(string policy, int? cost)
    {
        // Two idle counters fill the store. A call finds a's; before it locks it, another session's call at the cap sweeps
        // and retires both. The call must look again and spend in a new counter: a spend in the retired one would be lost,
        // and the next call in the same window would get a second unit of max 1.
        var clock = new SteppingClock();
        using var ev = Evaluator(policy, clock, cap: 2);
        Assert.True(ev.Evaluate(Call("a", cost)).IsAllowed);
        Assert.True(ev.Evaluate(Call("filler", cost)).IsAllowed);
        clock.Set(11);
        Decision? other = null;
        clock.Arm(() => other = ev.Evaluate(Call("other", cost)));

        Assert.True(ev.Evaluate(Call("a", cost)).IsAllowed);
        Assert.True(clock.Sprung);
        Assert.True(other?.IsAllowed);
        Assert.Equal(2, ev.TrackedLimitKeys); // other's counter and a's new one
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Call("a", cost)).Code);
    }

    [Fact]
    public void With_several_limits_a_counter_the_sweep_retires_before_the_locks_sends_the_call_round_again()
    {
        // As above with two limits: the session's counter goes idle and is swept while the call holds it unlocked; the
        // global one stays live. Spending on the retired one would lose the session's unit.
        const string TwoLimits = """
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":10},{"max":100,"window":60,"per":"global"}]}}}
            """;
        var clock = new SteppingClock();
        using var ev = Evaluator(TwoLimits, clock, cap: 3);
        Assert.True(ev.Evaluate(Call("a")).IsAllowed);
        Assert.True(ev.Evaluate(Call("filler")).IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys); // a, filler and the global counter
        clock.Set(11);
        Decision? other = null;
        clock.Arm(() => other = ev.Evaluate(Call("other")));

        Assert.True(ev.Evaluate(Call("a")).IsAllowed);
        Assert.True(clock.Sprung);
        Assert.True(other?.IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys); // the global counter, other's and a's new one
        var again = ev.Evaluate(Call("a"));
        Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/0"), (again.Code, again.Rule));
    }

    [Fact]
    public void A_counter_made_for_a_call_that_a_lowered_max_then_denies_gives_its_slot_back()
    {
        // The call makes its key's counter, and before it locks it a reload lowers max below the cost: it is denied with
        // the counter empty, which must not keep the one slot. (When another call spends first instead, the counter is
        // not empty and there is nothing to give back: a lowered max is how a made counter is left empty.)
        const string Max10 = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":10,"window":10,"cost":"args.n"}]}}}""";
        var clock = new SteppingClock();
        using var ev = Evaluator(Max10, clock, cap: 1);
        clock.Arm(() => ev.Reload(Policy.Parse(Max10.Replace("\"max\":10", "\"max\":4", StringComparison.Ordinal))));

        var denied = ev.Evaluate(Call("a", 5));
        Assert.True(clock.Sprung);
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)null), (denied.Code, denied.RetryAfter));
        Assert.Equal(0, ev.TrackedLimitKeys);
        Assert.True(ev.Evaluate(Call("b", 4)).IsAllowed); // the slot is free for another key
    }

    [Fact]
    public void A_sweep_that_meets_a_counter_the_caches_expiry_retired_during_its_pass_does_not_rest()
    {
        // The sweep examines a live counter; while it checks its idleness, the cache expires the next one (on a thread of
        // its own, waited for). The dictionary's enumerator has already read that entry, so the sweep meets it retired.
        // Room was freed in this pass, so the store must not rest: 0.2 s later, at the cap again with idle counters, a
        // new key gets a counter. Judged fruitless, the pass would refuse calls at the cap without looking for 1 s.
        var (inserted, metFirst) = ChainedKeys();
        var clock = new SteppingClock();
        using var store = new CounterStore(new PolicyEngineOptions { TimeProvider = clock, LimitCache = _cache, MaxTrackedLimitKeys = 2 });
        var state = new LimitState("swept", countsCost: false, calendar: false, TimeSpan.FromMilliseconds(100), 5, store);
        store.Register(state);
        var counters = inserted.Select(key => state.GetOrCreate(key)!).ToArray();
        var live = counters[Array.IndexOf(inserted, metFirst)];
        var expiring = counters[1 - Array.IndexOf(inserted, metFirst)];
        clock.Set(0.25);
        live.Enter();
        live.SpendUnsynchronized(state.Now, 1);
        live.Exit();

        clock.Set(0.3); // expiring is idle, live is not
        bool expired = false;
        clock.Arm(
            () =>
            {
                _cache.TryGetValue(expiring, out _);
                expired = SpinWait.SpinUntil(() => store.Count == 1, TimeSpan.FromSeconds(10));
            },
            skip: 1); // the sweep's own read, before it examines any counter
        Assert.NotNull(store.TryCreate(state, "c"));
        Assert.True(clock.Sprung);
        Assert.True(expired, "the cache did not expire the counter");
        Assert.True(expiring.Retired);
        Assert.False(live.Retired);

        clock.Set(0.5); // live and c are idle
        Assert.NotNull(store.TryCreate(state, "d"));
    }

    /// <summary>
    /// Two keys, in the order to add them, whose entries share a bucket of a <see cref="ConcurrentDictionary{TKey, TValue}"/>
    /// like <see cref="LimitState"/>'s, and the one enumerated first: yielding it, the enumerator has already read the
    /// other's entry, and yields it even if it is removed meanwhile. Found by probing a dictionary of the same shape.
    /// </summary>
    private static (string[] Inserted, string First) ChainedKeys()
    {
        for (int i = 0; i < 10_000; i++)
        {
            string[] keys = ["a", "b" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            var probe = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            probe[keys[0]] = 0;
            probe[keys[1]] = 1;
            using var entries = probe.GetEnumerator();
            Assert.True(entries.MoveNext());
            string first = entries.Current.Key, second = first == keys[0] ? keys[1] : keys[0];
            probe.TryRemove(second, out _);
            if (entries.MoveNext() && entries.Current.Key == second)
            {
                return (keys, first);
            }
        }

        Assert.Fail("no two keys share a bucket: the dictionary's enumerator no longer reads ahead, so this test needs another way in");
        return default;
    }
}
