using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>Sliding windows (t − window, t] on the store directly: max per window, exact retry_after, all or nothing.</summary>
public sealed class SlidingWindowTests(RedisFixture redis)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Max_calls_fit_and_the_next_waits_until_the_oldest_leaves()
    {
        using var store = redis.Store();
        var charge = Count("l1", "s1", Minute, 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddSeconds(i * 10), charge)).Kind);
        }

        var denied = await store.Acquire(Epoch.AddSeconds(25), charge);
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.Equal(0, denied.LimitIndex);
        Assert.Equal(TimeSpan.FromSeconds(35), denied.RetryAfter); // the spend at 0 s leaves at 60 s

        // (t − window, t]: at exactly 60 s the first spend has left.
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddSeconds(60).AddTicks(-10), charge)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddSeconds(60), charge)).Kind);
    }

    [Fact]
    public async Task Partitions_and_limits_have_their_own_counters()
    {
        using var store = redis.Store();
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Count("l1", "a", Minute, 1))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Count("l1", "b", Minute, 1))).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Count("l2", "a", Minute, 1))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch, Count("l1", "a", Minute, 1))).Kind);
    }

    [Fact]
    public async Task A_call_spends_on_all_its_limits_or_on_none()
    {
        using var store = redis.Store();
        var wide = Count("wide", "s", Minute, 10);
        var narrow = Count("narrow", "s", Minute, 1);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, wide, narrow)).Kind);
        for (int i = 0; i < 5; i++)
        {
            var denied = await store.Acquire(Epoch.AddSeconds(1), wide, narrow);
            Assert.Equal(StateVerdictKind.Limited, denied.Kind);
            Assert.Equal(1, denied.LimitIndex);
        }

        // Nothing was spent on the wide limit by the denied calls: 9 more fit.
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddSeconds(2), wide)).Kind);
        }

        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddSeconds(2), wide)).Kind);
    }

    [Fact]
    public async Task The_verdict_names_the_first_limit_lacking_room_and_the_longest_wait()
    {
        using var store = redis.Store();
        var a = Count("a", "s", Minute, 1);
        var b = Count("b", "s", TimeSpan.FromHours(1), 1);
        await store.Acquire(Epoch, a, b);
        var denied = await store.Acquire(Epoch.AddSeconds(30), a, b);
        Assert.Equal(0, denied.LimitIndex);
        Assert.Equal(TimeSpan.FromSeconds(3570), denied.RetryAfter);

        var never = await store.Acquire(Epoch.AddSeconds(30), a, Cost("c", "s", Minute, 5, 6));
        Assert.Equal(0, never.LimitIndex);
        Assert.Null(never.RetryAfter); // the cost above its max can never fit
    }

    [Fact]
    public async Task A_clock_that_steps_back_counts_as_the_newest_spend()
    {
        using var store = redis.Store();
        var charge = Count("l", "s", Minute, 1);
        await store.Acquire(Epoch.AddMinutes(10), charge);
        var denied = await store.Acquire(Epoch, charge); // 10 minutes earlier: clamped to the spend's time
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.Equal(Minute, denied.RetryAfter);
    }

    [Fact]
    public async Task Server_time_mode_counts_on_redis_time()
    {
        using var store = redis.Store(clock: RedisClock.Server);
        var charge = Count("l", "s", TimeSpan.FromHours(1), 2);
        var longAgo = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero); // ignored: Redis TIME decides
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(longAgo, charge)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(longAgo.AddYears(-1), charge)).Kind);
        var denied = await store.Acquire(longAgo, charge);
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.InRange(denied.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }
}
