using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.Redis.Tests.Evaluation;

/// <summary>The evaluator's asynchronous surface over the Redis store: refunds and approvals round trip, and replicas share them.</summary>
public sealed class EvaluatorOnRedisTests(RedisFixture redis)
{
    private const string Budget = """
        {"version": "1", "default": "allow",
         "tools": {"pay": {"limits": [{"max": 1, "window": "1h", "per": "global", "cost": "args.amount"}]},
                   "wire": {"action": "require_approval"}},
         "approval_ttl": "10m"}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ToolCall Pay(decimal amount) =>
        new("pay", JsonDocument.Parse($$"""{"amount": {{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""").RootElement) { SessionId = "s" };

    private PolicyEvaluator Replica(RedisStateStore store, FakeTimeProvider clock) =>
        new(Policy.Parse(Budget), new PolicyEngineOptions { TimeProvider = clock, StateStore = store, Refunds = RefundScope.CostLimits });

    [Fact]
    public async Task A_refund_on_one_replica_frees_the_budget_on_another()
    {
        string prefix = RedisFixture.NewPrefix();
        using var storeA = redis.Store(prefix);
        using var storeB = redis.Store(prefix);
        var clock = new FakeTimeProvider(Charges.Epoch);
        using var a = Replica(storeA, clock);
        using var b = Replica(storeB, clock);

        var spent = await a.EvaluateAsync(Pay(0.7m), Token);
        Assert.True(spent.IsAllowed);
        Assert.Equal(DecisionCodes.RateLimited, (await b.EvaluateAsync(Pay(0.4m), Token)).Code);
        Assert.True(await a.RefundAsync(spent, Token));
        Assert.False(await a.RefundAsync(spent, Token)); // once
        Assert.True((await b.EvaluateAsync(Pay(1m), Token)).IsAllowed);
    }

    [Fact]
    public async Task Approved_on_one_replica_the_call_runs_once_on_another_and_never_on_a_third()
    {
        string prefix = RedisFixture.NewPrefix();
        var clock = new FakeTimeProvider(Charges.Epoch);
        using var storeA = redis.Store(prefix);
        using var storeB = redis.Store(prefix);
        using var storeC = redis.Store(prefix);
        using var a = Replica(storeA, clock);
        using var b = Replica(storeB, clock);
        using var c = Replica(storeC, clock);
        var wire = new ToolCall("wire") { SessionId = "s" };

        var asked = await c.EvaluateAsync(wire, Token);
        Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        var pending = Assert.Single(await a.GetPendingApprovalsAsync(Token)); // every replica's requests
        Assert.Equal(asked.ApprovalId, pending.ApprovalId);
        Assert.True(await a.ApproveAsync(pending.ApprovalId, Token));

        Assert.True((await b.EvaluateAsync(wire, Token)).IsAllowed);
        Assert.Equal(DecisionCodes.ApprovalRequired, (await c.EvaluateAsync(wire, Token)).Code);
        Assert.True(await b.DenyAsync(asked.ApprovalId!, Token)); // asked again above: a new request, denied now
        Assert.False(await a.RevokeAsync(asked.ApprovalId!, Token));
    }
}
