using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>Cost limits add exact decimals in Redis: no double ever rounds a sum across the max.</summary>
public sealed class AmountTests(RedisFixture redis)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task Tenths_sum_exactly_to_the_max()
    {
        using var store = redis.Store();
        // 0.1 + 0.2 is 0.30000000000000004 in doubles, which would refuse the third spend of a 0.6 budget.
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "s", Day, 0.6m, 0.1m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "s", Day, 0.6m, 0.2m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "s", Day, 0.6m, 0.3m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "s", Day, 0.6m, 0.0000000000000000000000000001m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "s", Day, 0.6m, 0m))).Kind);
    }

    [Fact]
    public async Task More_distinct_amounts_than_the_scripts_keep_parsed_still_sum_exactly()
    {
        // The library keeps up to 1,024 parsed argument texts and then starts again empty: 1,100 distinct costs pass
        // that point, and the total must still be exact, to the unit, at the max.
        using var store = redis.Store();
        const int Costs = 1_100;
        const decimal Max = Costs * (Costs + 1) / 2;
        for (int cost = 1; cost <= Costs; cost++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "many", Day, Max, cost))).Kind);
        }

        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "many", Day, Max, 1m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "many", Day, Max, 0.5m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "many", Day, Max, 0m))).Kind);
    }

    [Fact]
    public async Task Whole_amounts_cross_from_numbers_to_limbs_and_back_exactly()
    {
        // Whole amounts below 10^15 are Lua numbers; a sum that reaches 10^15, or a fraction, is done on limbs; a refund
        // or a prune brings the total back below. Each step is exact, at the max's boundary.
        using var store = redis.Store();
        const decimal Max = 2_000_000_000_000_001m;
        var near = Cost("b", "edge", Day, Max, 999_999_999_999_999m);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, near)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 1m))).Kind);        // total 10^15: limbs
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 0.5m))).Kind);      // a fraction
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 999_999_999_999_999m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 1.5m))).Kind);      // exactly Max now
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 0.0000000000000000000000000001m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "edge", Day, Max, 0m))).Kind);

        // After the window the counter holds whole numbers again.
        var later = Epoch + Day + TimeSpan.FromSeconds(1);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(later, Cost("b", "edge", Day, Max, 5m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(later, Cost("b", "edge", Day, Max, Max - 4m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(later, Cost("b", "edge", Day, Max, Max - 5m))).Kind);

        // 2^53 + 1 is not a double: it is held as limbs, and adds exactly.
        const decimal Odd = 9_007_199_254_740_993m;
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "odd", Day, 2 * Odd, Odd))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "odd", Day, 2 * Odd, Odd + 1))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "odd", Day, 2 * Odd, Odd))).Kind);
    }

    [Fact]
    public async Task The_finest_and_the_largest_decimals_are_exact()
    {
        using var store = redis.Store();
        decimal tiny = 0.0000000000000000000000000001m;
        var budget = Cost("b", "tiny", Day, 3 * tiny, tiny);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, budget)).Kind);
        }

        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, budget)).Kind);

        decimal most = decimal.MaxValue; // 79228162514264337593543950335: 29 digits
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "big", Day, most, most - 1))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "big", Day, most, 1.5m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "big", Day, most, 1m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "big", Day, most, tiny))).Kind);

        // Both ends at once: a max with 28 decimals and a spend of one whole.
        decimal fine = 1.0000000000000000000000000001m;
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "fine", Day, fine, 1m))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Cost("b", "fine", Day, fine, tiny))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Cost("b", "fine", Day, fine, tiny))).Kind);
    }

    [Fact]
    public async Task The_wait_is_until_enough_spends_leave()
    {
        using var store = redis.Store();
        var window = TimeSpan.FromMinutes(10);
        await store.Acquire(Epoch, Cost("b", "s", window, 12.345m, 2.345m));
        await store.Acquire(Epoch.AddMinutes(1), Cost("b", "s", window, 12.345m, 5m));
        await store.Acquire(Epoch.AddMinutes(2), Cost("b", "s", window, 12.345m, 5m));
        // Full (12.345). 7.345 more needs the first two spends gone: the one at 1 min leaves at 11 min.
        var denied = await store.Acquire(Epoch.AddMinutes(3), Cost("b", "s", window, 12.345m, 7.345m));
        Assert.Equal(TimeSpan.FromMinutes(8), denied.RetryAfter);
        // 2.345 needs only the first gone (at 10 min).
        denied = await store.Acquire(Epoch.AddMinutes(3), Cost("b", "s", window, 12.345m, 2.345m));
        Assert.Equal(TimeSpan.FromMinutes(7), denied.RetryAfter);
        // Above the max: never.
        denied = await store.Acquire(Epoch.AddMinutes(3), Cost("b", "s", window, 12.345m, 12.3451m));
        Assert.Null(denied.RetryAfter);
    }
}
