using Microsoft.Extensions.Time.Testing;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "Approvals" (lines 19–21).</summary>
public sealed class HostileApprovalTests
{
    private const string Withdrawals = """{"version":"1","default":"deny","tools":{"order":{"action":"require_approval","reason":"Human, please."}}}""";

    private static string ApproveOnce(PolicyEvaluator engine, ToolCall call)
    {
        var d = engine.Evaluate(call);
        Assert.Equal(DecisionCodes.ApprovalRequired, d.Code);
        Assert.Equal(engine.GetApprovalId(call), d.ApprovalId);
        Assert.True(engine.Approve(d.ApprovalId!));
        return d.ApprovalId!;
    }

    [Fact]
    public void Line19_ApprovalReplayedWithOtherArguments_IsApprovalRequired()
    {
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, Call("order", """{"symbol":"BTC"}""", "s1"));
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(Call("order", """{"symbol":"*"}""", "s1")).Code);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("order", """{"symbol":"BTC"}""", "s1")).Code);
    }

    [Fact]
    public void Line19_ApprovalReplayedFromAnotherSession_IsApprovalRequired()
    {
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, Call("order", """{"symbol":"BTC"}""", "s1"));
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(Call("order", """{"symbol":"BTC"}""", "s2")).Code);
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(Call("order", """{"symbol":"BTC"}""")).Code);
    }

    [Fact]
    public void Line19_ApprovalReplayedAfterAPolicyChange_IsApprovalRequired()
    {
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, Call("order", """{"symbol":"BTC"}""", "s1"));
        engine.Reload(Policy.Parse(Withdrawals.Replace("Human, please.", "Two humans, please.", StringComparison.Ordinal)));
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(Call("order", """{"symbol":"BTC"}""", "s1")).Code);
    }

    [Theory]
    [InlineData("""{"amount":9007199254740993}""", """{"amount":9007199254740992}""")]
    [InlineData("""{"amount":10000.0000000000000000001}""", """{"amount":10000}""")]
    public void Line19_ApprovalReplayedWithANumberOnlyDoubleRoundingConflates_IsApprovalRequired(string approved, string replay)
    {
        // RFC 8785 prints both of each pair alike (through double); an approval must not cover the other amount.
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, Call("order", approved, "s1"));
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(Call("order", replay, "s1")).Code);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("order", approved, "s1")).Code);
    }

    [Theory]
    [InlineData("""{"amount":9007199254740993}""", """{"amount":9007199254740992}""")]
    [InlineData("""{"amount":10000.0000000000000000001}""", """{"amount":10000}""")]
    public void Line19_ApprovalReplayedWithANumberOnlyDoubleRoundingConflates_AsADictionary_IsApprovalRequired(string approved, string replay)
    {
        // The same as above for a host that passes its arguments as a dictionary (the MCP SDK's shape).
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, DictionaryCall(approved));
        Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(DictionaryCall(replay)).Code);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(DictionaryCall(approved)).Code);

        static ToolCall DictionaryCall(string args) => new("order", JsonArg(args).EnumerateObject().ToDictionary(p => p.Name, p => p.Value)) { SessionId = "s1" };
    }

    [Fact]
    public void Line20_OneApprovalUsedBy64ConcurrentIdenticalCalls_ExactlyOneAllowed()
    {
        using var engine = Engine(Withdrawals);
        ApproveOnce(engine, Call("order", """{"symbol":"BTC","qty":1}""", "s1"));
        var codes = RunTogether(8, _ => Enumerable.Range(0, 8).Select(__ => engine.Evaluate(Call("order", """{"qty":1,"symbol":"BTC"}""", "s1")).Code));
        Assert.Equal(64, codes.Count);
        Assert.Equal(1, codes.Count(c => c == DecisionCodes.Allowed));
        Assert.Equal(63, codes.Count(c => c == DecisionCodes.ApprovalRequired));
    }

    [Fact]
    public void Line21_FloodOfApprovalRequests_PendingIsCappedPerSessionAndOverall()
    {
        using var engine = Engine(Withdrawals, configure: o =>
        {
            o.MaxPendingApprovals = 100;
            o.MaxPendingApprovalsPerSession = 4;
        });
        var flood = Enumerable.Range(0, 1000).Select(i => engine.Evaluate(Call("order", $$"""{"n":{{i}}}""", "flood")).ApprovalId!).ToList();
        // Exactly the session's cap is kept, and it is the newest four: each new request dropped the oldest.
        Assert.Equal(flood.TakeLast(4), engine.GetPendingApprovals().Select(p => p.ApprovalId));
        Assert.False(engine.Approve(flood[995]));

        var others = Enumerable.Range(0, 1000).Select(i => engine.Evaluate(Call("order", """{"n":0}""", $"s{i}")).ApprovalId!).ToList();
        // The total cap holds with live requests: the first 96 other sessions were recorded, the rest were answered but not kept.
        Assert.Equal(100, engine.GetPendingApprovals().Count);
        Assert.Equal(flood.TakeLast(4).Concat(others.Take(96)), engine.GetPendingApprovals().Select(p => p.ApprovalId));
        Assert.False(engine.Approve(others[96]));
        Assert.True(engine.Approve(others[95]));
        Assert.True(engine.Approve(flood[^1]));
    }

    [Fact]
    public void Line21_PendingApprovalsExpireAfterTheTtl()
    {
        var clock = new FakeTimeProvider(Epoch);
        using var engine = Engine("""{"version":"1","default":"deny","approval_ttl":"1m","tools":{"order":{"action":"require_approval"}}}""", clock);
        var ids = Enumerable.Range(0, 50).Select(i => engine.Evaluate(Call("order", $$"""{"n":{{i}}}""", $"s{i % 5}")).ApprovalId!).ToList();
        clock.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1)); // the positive control: one tick before the ttl
        Assert.Equal(50, engine.GetPendingApprovals().Count);
        Assert.True(engine.Approve(ids[0]));
        clock.Advance(TimeSpan.FromTicks(1)); // expired at exactly the ttl
        Assert.Empty(engine.GetPendingApprovals());
        Assert.All(ids.Skip(1), id => Assert.False(engine.Approve(id)));
    }
}
