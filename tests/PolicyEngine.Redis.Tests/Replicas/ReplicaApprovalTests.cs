using System.Text.Json;
using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.Redis.Tests.Replicas;

/// <summary>Approvals live in Redis: asked for on one replica, approved on another, spent once on any.</summary>
public sealed class ReplicaApprovalTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Policy = """
        {"version":"1","default":"deny","approval_ttl":"1h",
         "tools":{"transfer":{"action":"require_approval","reason":"Transfers need a person."}}}
        """;

    private static ToolCall Transfer(string session = "alice") =>
        new("transfer", JsonDocument.Parse("""{"to": "bob", "amount": 125.50}""").RootElement) { SessionId = session };

    [Fact]
    public async Task Approved_via_B_runs_once_via_B_and_is_refused_via_C()
    {
        using var replicas = ReplicaSet.Start(redis, Policy);
        PolicyEvaluator a = replicas[0], b = replicas[1], c = replicas[2];

        var asked = await a.EvaluateAsync(Transfer(), Ct);
        Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        Assert.NotNull(asked.ApprovalId);

        // Every replica lists the request that A recorded.
        Assert.Contains(await c.GetPendingApprovalsAsync(Ct), p => p.ApprovalId == asked.ApprovalId);

        Assert.True(await b.ApproveAsync(asked.ApprovalId!, Ct));
        Assert.False(await c.ApproveAsync(asked.ApprovalId!, Ct)); // no longer pending: approved once

        var ran = await b.EvaluateAsync(Transfer(), Ct);
        Assert.Equal(DecisionCodes.Allowed, ran.Code);
        Assert.Equal(asked.ApprovalId, ran.ApprovalId);

        var again = await c.EvaluateAsync(Transfer(), Ct);
        Assert.Equal(DecisionCodes.ApprovalRequired, again.Code);
        Assert.Equal(asked.ApprovalId, again.ApprovalId);

        // Another session's identical call was never approved.
        Assert.Equal(DecisionCodes.ApprovalRequired, (await b.EvaluateAsync(Transfer("mallory"), Ct)).Code);
    }

    [Fact]
    public async Task One_approval_is_spent_by_exactly_one_of_48_concurrent_callers_across_replicas()
    {
        using var replicas = ReplicaSet.Start(redis, Policy);
        var asked = await replicas[0].EvaluateAsync(Transfer(), Ct);
        Assert.True(await replicas[1].ApproveAsync(asked.ApprovalId!, Ct));

        var tally = await replicas.RunTogether(16, 1, _ => Transfer());

        Assert.True(tally[DecisionCodes.Allowed] == 1, $"{tally}");
        Assert.Equal(tally.Total - 1, tally[DecisionCodes.ApprovalRequired]);
    }

    [Fact]
    public async Task Denied_on_one_replica_is_no_longer_pending_on_another()
    {
        using var replicas = ReplicaSet.Start(redis, Policy);
        var asked = await replicas[0].EvaluateAsync(Transfer(), Ct);

        Assert.True(await replicas[1].DenyAsync(asked.ApprovalId!, Ct));

        Assert.DoesNotContain(await replicas[2].GetPendingApprovalsAsync(Ct), p => p.ApprovalId == asked.ApprovalId);
        Assert.False(await replicas[2].ApproveAsync(asked.ApprovalId!, Ct));
    }
}
