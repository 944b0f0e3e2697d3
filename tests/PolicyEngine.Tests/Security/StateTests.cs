using Microsoft.Extensions.Time.Testing;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "State under hostile input" (lines 30–35).</summary>
public sealed class StateTests
{
    private const string PerMemo = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.memo"}]}}}""";

    [Fact]
    public void Line30_PerValueKeysAndPendingApprovalsOfMegabyteValues_KeepAConstantSize()
    {
        using var engine = Engine(PerMemo);
        string megabyte = new('m', 1_000_000);
        var call = Call("t", "{\"memo\":\"" + megabyte + "\"}", "s");
        var policy = engine.Policy.Compiled;
        Span<char> buffer = stackalloc char[PolicyEngine.DecisionTree.LimitDefinition.LongestPlainKey];
        Assert.Equal(PolicyEngine.Json.CompactKey.DigestLength, policy.Limits[0].ValueKey(new PolicyEngine.Arguments.EvalContext(in call), buffer).Length);

        using var gated = Engine("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        gated.Evaluate(call);
        var pending = Assert.Single(gated.GetPendingApprovals());
        Assert.True(pending.Arguments.Length <= 128 && pending.ArgumentsTruncated);
    }

    [Fact]
    public void Line31_AFloodOfDeniedCallsAtTheKeyCap_HoldsNoSlotAndExistingCountersKeepWorking()
    {
        using var engine = Engine("""
            {"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":60,"per":"global"},{"max":3,"window":60}]}}}
            """, configure: o => o.MaxTrackedLimitKeys = 3);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("t", null, "a")).Code);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.Equal(DecisionCodes.RateLimited, engine.Evaluate(Call("t", null, "flood" + i)).Code);
        }

        Assert.Equal(2, engine.TrackedLimitKeys); // the global counter and a's
    }

    [Fact]
    public void Line32_SessionIdsWithLoneSurrogates_NeverShareCountersOrApprovals()
    {
        using var limited = Engine("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":60}]}}}""");
        foreach (var session in new[] { "u\ud800", "u\udbff", "u\udc00", "u\ufffd" })
        {
            Assert.Equal(DecisionCodes.Allowed, limited.Evaluate(Call("t", null, session)).Code);
        }

        using var perContext = Engine("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":60,"per":"context.user"}]}}}""");
        foreach (var user in new[] { "\"u\\ud800\"", "\"u\\udc00\"", "\"u\\ufffd\"" })
        {
            var call = Call("t") with { Context = new Dictionary<string, System.Text.Json.JsonElement> { ["user"] = JsonArg(user) } };
            Assert.Equal(DecisionCodes.Allowed, perContext.Evaluate(call).Code);
        }

        using var gated = Engine("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        var ids = new[] { "u\ud800", "u\udc00" }.Select(s => gated.Evaluate(Call("t", "{}", s)).ApprovalId).ToList();
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public void Line33_ARevokedGrant_IsNeverRestoredByTheCallThatHeldIt()
    {
        // Many rounds of a revoke racing an approved call that its limit then denies: whoever wins, the
        // grant is never back afterwards (the old store put it back after a revoke had reported it gone).
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval","limits":[{"max":1,"window":"1h"}]}}}""");
        var spend = Call("t", """{"n":0}""", "s");
        engine.Evaluate(spend);
        Assert.True(engine.Approve(engine.GetApprovalId(spend)!));
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(spend).Code); // the limit is spent now
        for (int round = 1; round <= 300; round++)
        {
            var call = Call("t", "{\"n\":" + round + "}", "s");
            engine.Evaluate(call);
            string id = engine.GetApprovalId(call)!;
            Assert.True(engine.Approve(id));
            var results = RunTogether<string>(2, worker => worker == 0
                ? [engine.Evaluate(call).Code]
                : [engine.Revoke(id) ? "revoked" : "lost"]);
            // The call either held the grant (its limit denied it) or came after the revoke; it never ran, so the
            // revoke wins either way, waiting for the call's outcome if it must.
            Assert.Contains(results[0], new[] { DecisionCodes.RateLimited, DecisionCodes.ApprovalRequired });
            Assert.Equal("revoked", results[1]);
            Assert.False(engine.Revoke(id));
            Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(call).Code);
        }
    }

    [Fact]
    public void Line34_AClockThatStepsBackwards_NeverMakesACounterUnderCount()
    {
        var clock = new FakeTimeProvider(Epoch);
        var stepping = new TestSupport.SteppingClock();
        using var engine = new PolicyEvaluator(Policy.Parse("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":3,"window":10}]}}}"""),
            new PolicyEngineOptions { TimeProvider = stepping });
        stepping.Set(20);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("t", null, "s")).Code);
        stepping.Set(5); // 15 s back
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("t", null, "s")).Code);
        Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(Call("t", null, "s")).Code);
        stepping.Set(29.9); // all three spends count at 20 or later: still in the window
        Assert.Equal(DecisionCodes.RateLimited, engine.Evaluate(Call("t", null, "s")).Code);
        GC.KeepAlive(clock);
    }

    [Fact]
    public void Line35_ATightenedLimitAfterAReload_AppliesAtOnceToWhatTheWindowHolds()
    {
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":100,"window":60}}}}""");
        for (int i = 0; i < 10; i++)
        {
            engine.Evaluate(Call("t", null, "s"));
        }

        engine.Reload(Policy.Parse("""{"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":10,"window":60}}}}"""));
        Assert.Equal(DecisionCodes.RateLimited, engine.Evaluate(Call("t", null, "s")).Code);
    }
}
