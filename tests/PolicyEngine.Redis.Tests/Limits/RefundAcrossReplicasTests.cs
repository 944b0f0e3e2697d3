using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Limits;

/// <summary>
/// Issue 21's refunds across replicas: a tool that failed behind replica A gives its spend back in the shared store, once,
/// and replica B sees the room at once; a denied call has nothing to give back.
/// </summary>
public sealed class RefundAcrossReplicasTests(RedisFixture redis)
{
    private const string Budget = """{"version":"1","default":"allow","tools":{"transfer":{"limits":[{"max":100,"window":"1h","cost":"args.amount","per":"global"}]}}}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refund_on_one_replica_frees_the_room_on_another_exactly_once()
    {
        string prefix = RedisFixture.NewPrefix();
        var clock = new FakeTimeProvider(Epoch);
        using var storeA = redis.Store(prefix);
        using var storeB = redis.Store(prefix);
        using var a = new PolicyEvaluator(Policy.Parse(Budget), new PolicyEngineOptions { TimeProvider = clock, StateStore = storeA, Refunds = RefundScope.CostLimits });
        using var b = new PolicyEvaluator(Policy.Parse(Budget), new PolicyEngineOptions { TimeProvider = clock, StateStore = storeB, Refunds = RefundScope.CostLimits });
        ToolCall Transfer(decimal amount) => new("transfer", System.Text.Json.JsonDocument.Parse("{\"amount\":" + amount.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}").RootElement);

        var failed = await a.EvaluateAsync(Transfer(70), Token);
        Assert.True(failed.IsAllowed && failed.IsRefundable);
        var denied = await b.EvaluateAsync(Transfer(40), Token);
        Assert.Equal(DecisionCodes.RateLimited, denied.Code);
        Assert.False(await b.RefundAsync(denied, Token));

        Assert.True(await a.RefundAsync(failed, Token));
        Assert.False(await a.RefundAsync(failed, Token));
        Assert.False(a.Refund(failed));

        Assert.True((await b.EvaluateAsync(Transfer(100), Token)).IsAllowed); // all of the budget is back, and no more
        Assert.Equal(DecisionCodes.RateLimited, (await b.EvaluateAsync(Transfer(0.01m), Token)).Code);
    }
}
