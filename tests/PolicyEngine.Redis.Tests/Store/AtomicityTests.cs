using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>Concurrent calls through several stores (replicas) on one Redis: never more than max, and all or nothing across limits.</summary>
public sealed class AtomicityTests(RedisFixture redis)
{
    [Fact]
    public async Task Concurrent_calls_through_three_stores_spend_exactly_max()
    {
        string prefix = RedisFixture.NewPrefix();
        using var a = redis.Store(prefix);
        using var b = redis.Store(prefix);
        using var c = redis.Store(prefix);
        PolicyStateStore[] replicas = [a, b, c];
        var count = Count("count", "g", TimeSpan.FromMinutes(1), 50);
        var budget = Cost("budget", "g", TimeSpan.FromMinutes(1), 30m, 0.5m); // room for 60: the count limit binds first
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            replicas[i % 3].AcquireAsync(Request(Epoch, count, budget), TestContext.Current.CancellationToken).AsTask()));
        Assert.Equal(50, verdicts.Count(v => v.Kind == StateVerdictKind.Acquired));

        // Nothing of the 250 denied calls was spent on the budget: 25 of its 30 are taken, 5 remain.
        Assert.Equal(StateVerdictKind.Acquired, (await a.Acquire(Epoch, Cost("budget", "g", TimeSpan.FromMinutes(1), 30m, 5m))).Kind);
        Assert.Equal(StateVerdictKind.Limited, (await b.Acquire(Epoch, Cost("budget", "g", TimeSpan.FromMinutes(1), 30m, 0.01m))).Kind);
    }
}
