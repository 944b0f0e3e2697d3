using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>The ring stays small as in memory: approximated limits fold close spends, and past 1,024 entries the two oldest merge.</summary>
public sealed class FoldAndMergeTests(RedisFixture redis)
{
    [Fact]
    public async Task Spends_within_one_fold_of_the_newest_entry_share_it_at_the_later_time()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var window = TimeSpan.FromSeconds(64); // fold: 1 s
        var charge = Count("big", "s", window, 2000);
        Assert.Equal(TimeSpan.FromSeconds(1), charge.Fold);
        await store.Acquire(Epoch, charge);
        await store.Acquire(Epoch.AddMilliseconds(500), charge);
        await store.Acquire(Epoch.AddSeconds(1), charge); // 1 s after the entry's first spend: still folds
        await store.Acquire(Epoch.AddMilliseconds(1500), charge); // a new entry
        // The first entry is in the list; the newest is in the state.
        Assert.Equal(1, await redis.Require().GetDatabase().ListLengthAsync(EntriesKey(prefix, charge)));

        for (int i = 4; i < 2000; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddMilliseconds(1500), charge)).Kind);
        }

        // The first entry holds 3 spends at 1 s (the later time): the window over-counts, never under-counts.
        var denied = await store.Acquire(Epoch.AddSeconds(2), charge);
        Assert.Equal(TimeSpan.FromSeconds(63), denied.RetryAfter);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddSeconds(65).AddTicks(-10), charge)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddSeconds(65), charge)).Kind);
    }

    [Fact]
    public async Task Past_1024_entries_the_two_oldest_merge_at_the_later_time()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var window = TimeSpan.FromHours(1);
        LimitCharge Spend(decimal cost) => Cost("small", "s", window, 10m, cost);
        for (int i = 1; i <= 1030; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddTicks(i * 10), Spend(0.001m))).Kind);
        }

        var key = EntriesKey(prefix, Spend(0.001m));
        var db = redis.Require().GetDatabase();
        Assert.Equal(1024 - 1, await db.ListLengthAsync(key)); // and the newest, in the state
        Assert.Equal("7 0.007", Relative((string)(await db.ListGetByIndexAsync(key, 0))!)); // spends 1..7 µs merged into the 7th

        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddTicks(20_000), Spend(8.97m))).Kind); // exactly 10 now
        var denied = await store.Acquire(Epoch.AddTicks(30_000), Spend(0.001m));
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.Equal(window + TimeSpan.FromTicks(80) - TimeSpan.FromTicks(30_000), denied.RetryAfter); // the oldest entry is now at 8 µs
    }

    [Fact]
    public async Task A_list_left_by_a_state_that_expired_first_is_not_read_as_the_new_counters()
    {
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var charge = Count("c", "s", TimeSpan.FromMinutes(1), 2);
        var (state, entries) = new Internal.RedisKeys(prefix).Counter(in charge);
        var db = redis.Require().GetDatabase();
        await store.Acquire(Epoch, charge);
        await store.Acquire(Epoch.AddSeconds(1), charge);
        Assert.Equal(1, await db.ListLengthAsync(entries));
        await db.KeyDeleteAsync(state); // the state's TTL ran out a moment before its list's

        // A new life: its first two spends, at 2 min and 2 min 10 s; the list's old entry (at 0 s) must not be its oldest.
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddMinutes(2), charge)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddMinutes(2).AddSeconds(10), charge)).Kind);
        Assert.Equal(1, await db.ListLengthAsync(entries));
        var denied = await store.Acquire(Epoch.AddMinutes(2).AddSeconds(20), charge);
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.Equal(TimeSpan.FromSeconds(40), denied.RetryAfter); // the new life's first spend leaves at 3 min
    }

    internal static RedisKey EntriesKey(string prefix, LimitCharge charge) =>
        new Internal.RedisKeys(prefix).Counter(in charge).Entries;

    /// <summary>An entry "µs amount" with its time relative to <see cref="Charges.Epoch"/>.</summary>
    private static string Relative(string entry)
    {
        var parts = entry.Split(' ');
        long epoch = (Epoch.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return $"{long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) - epoch} {parts[1]}";
    }
}
