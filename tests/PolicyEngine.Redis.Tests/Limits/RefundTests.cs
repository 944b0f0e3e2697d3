using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>A receipt gives back exactly what the call spent, while it is in the window.</summary>
public sealed class RefundTests(RedisFixture redis)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refund_frees_exactly_the_spend()
    {
        using var store = redis.Store();
        var first = await store.Acquire(Epoch, Cost("b", "s", Minute, 1m, 0.7m));
        await store.Acquire(Epoch.AddSeconds(1), Cost("b", "s", Minute, 1m, 0.3m));
        Assert.NotNull(first.Receipt);
        Assert.Equal(0.7m, Assert.Single(first.Receipt!.Charges).Cost);

        await store.RefundAsync(first.Receipt, Token);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddSeconds(2), Cost("b", "s", Minute, 1m, 0.7m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddSeconds(2), Cost("b", "s", Minute, 1m, 0.0001m))).Kind);
    }

    [Fact]
    public async Task A_refund_of_a_pruned_spend_gives_nothing()
    {
        using var store = redis.Store();
        var old = await store.Acquire(Epoch, Count("c", "s", Minute, 1));
        await store.Acquire(Epoch.AddMinutes(2), Count("c", "s", Minute, 1)); // prunes the first
        await store.RefundAsync(old.Receipt!, Token);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddMinutes(2), Count("c", "s", Minute, 1))).Kind);
    }

    [Fact]
    public async Task A_refund_from_an_earlier_life_of_the_key_gives_nothing()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var old = await store.Acquire(Epoch, Count("c", "s", Minute, 1));
        var (state, entries) = new Internal.RedisKeys(prefix).Counter(Count("c", "s", Minute, 1));
        await redis.Require().GetDatabase().KeyDeleteAsync([state, entries]); // as their TTL would
        await store.Acquire(Epoch.AddMinutes(5), Count("c", "s", Minute, 1));
        await store.RefundAsync(old.Receipt!, Token);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddMinutes(5), Count("c", "s", Minute, 1))).Kind);
    }

    [Fact]
    public async Task A_refund_covers_only_refundable_spends_above_zero()
    {
        using var store = redis.Store();
        var kept = new LimitCharge("k", "s", Minute, false, 1, 1, TimeSpan.Zero, refundable: false);
        var free = Cost("f", "s", Minute, 1m, 0m);
        var paid = Cost("p", "s", Minute, 1m, 1m);
        var verdict = await store.Acquire(Epoch, kept, free, paid);
        Assert.Equal("p", Assert.Single(verdict.Receipt!.Charges).Limit);
        Assert.Null((await store.Acquire(Epoch, free)).Receipt);

        await store.RefundAsync(verdict.Receipt!, Token);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, paid)).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, kept)).Kind);
    }
}
