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
