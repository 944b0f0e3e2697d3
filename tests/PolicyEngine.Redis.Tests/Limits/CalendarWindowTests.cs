using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>Calendar windows: UTC units, every spend of a unit leaves at its end, and the wait is to that end.</summary>
public sealed class CalendarWindowTests(RedisFixture redis)
{
    [Fact]
    public async Task A_day_empties_at_utc_midnight()
    {
        using var store = redis.Store();
        var day = Count("daily", "s", TimeSpan.FromDays(1), 2, calendar: true);
        var evening = Epoch.AddHours(23);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(evening, day)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(evening.AddMinutes(30), day)).Kind);
        var denied = await store.Acquire(evening.AddMinutes(45), day);
        Assert.Equal(StateVerdictKind.Limited, denied.Kind);
        Assert.Equal(TimeSpan.FromMinutes(15), denied.RetryAfter);
        Assert.Equal(StateVerdictKind.Limited, (await store.Acquire(Epoch.AddDays(1).AddTicks(-10), day)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddDays(1), day)).Kind); // a new day, a whole budget
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddDays(1), day)).Kind);
    }

    [Fact]
    public async Task A_calendar_cost_budget_adds_exactly_within_its_unit()
    {
        using var store = redis.Store();
        var hour = TimeSpan.FromHours(1);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddMinutes(i), Cost("h", "s", hour, 1m, 0.1m, calendar: true))).Kind);
        }

        var denied = await store.Acquire(Epoch.AddMinutes(20), Cost("h", "s", hour, 1m, 0.1m, calendar: true));
        Assert.Equal(TimeSpan.FromMinutes(40), denied.RetryAfter);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch.AddHours(1), Cost("h", "s", hour, 1m, 1m, calendar: true))).Kind);
    }
}
