using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Approvals;

/// <summary>Approvals across reloads, revokes that race a call, bounded previews, and identities of odd session ids.</summary>
public class ApprovalLifecycleTests
{
    private const string Gated = """{"version":"1","default":"deny","tools":{"order":{"action":"require_approval","limits":[{"max":1,"window":60}]}}}""";
    private const string GatedOther = """{"version":"1","default":"deny","tools":{"order":{"action":"require_approval","reason":"Other.","limits":[{"max":1,"window":60}]}}}""";

    [Fact]
    public void A_request_made_under_a_replaced_policy_can_be_neither_listed_nor_approved_even_after_reloading_back()
    {
        using var ev = Engine.For(Gated);
        var asked = ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s"));
        Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        Assert.Single(ev.GetPendingApprovals());

        ev.Reload(Policy.Parse(GatedOther));
        Assert.Empty(ev.GetPendingApprovals());
        Assert.False(ev.Approve(asked.ApprovalId!));

        ev.Reload(Policy.Parse(Gated));
        Assert.Empty(ev.GetPendingApprovals());
        Assert.False(ev.Approve(asked.ApprovalId!));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s")).Code);
    }

    [Fact]
    public void An_approval_given_before_a_reload_to_another_policy_is_not_revived_by_reloading_back()
    {
        using var ev = Engine.For(Gated);
        var asked = ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s"));
        Assert.True(ev.Approve(asked.ApprovalId!));

        ev.Reload(Policy.Parse(GatedOther));
        ev.Reload(Policy.Parse(Gated));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s")).Code);
    }

    [Fact]
    public void Reloading_the_same_policy_keeps_requests_and_approvals()
    {
        using var ev = Engine.For(Gated);
        var asked = ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s"));
        ev.Reload(Policy.Parse(Gated));
        Assert.Single(ev.GetPendingApprovals());
        Assert.True(ev.Approve(asked.ApprovalId!));
        ev.Reload(Policy.Parse(Gated));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("order", """{"qty":1}""", "s")).Code);
    }

    [Fact]
    public void A_revoke_while_a_call_holds_the_grant_waits_and_wins_when_a_limit_denies_that_call()
    {
        // The clock calls back from inside the limit check, while the call holds the grant: the revoke starts then.
        var clock = new CallbackClock();
        using var ev = new PolicyEvaluator(Policy.Parse(Gated), new PolicyEngineOptions { TimeProvider = clock });
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Engine.Call("order", """{"qty":0}""", "s")).Code);
        Assert.True(ev.Approve(ev.GetApprovalId(Engine.Call("order", """{"qty":0}""", "s"))!));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("order", """{"qty":0}""", "s")).Code); // spends the limit's one unit

        var call = Engine.Call("order", """{"qty":1}""", "s");
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(call).Code);
        string id = ev.GetApprovalId(call)!;
        Assert.True(ev.Approve(id));

        bool? revoked = null;
        Thread? revoker = null;
        clock.OnRead = n =>
        {
            if (n == 2) // 1: the grant's expiry; 2: the limit's clock read, with the grant held
            {
                revoker = new Thread(() => revoked = ev.Revoke(id));
                revoker.Start();
                Thread.Sleep(100); // the revoke runs into the held grant
            }
        };
        var limited = ev.Evaluate(call);
        clock.OnRead = null;
        revoker!.Join();

        Assert.Equal(DecisionCodes.RateLimited, limited.Code);
        Assert.True(revoked); // the call did not run, so the revoke won...
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(call).Code); // ...and the grant was not given back
    }

    [Fact]
    public void A_revoke_that_loses_to_a_call_that_ran_says_so()
    {
        var clock = new CallbackClock();
        using var ev = new PolicyEvaluator(Policy.Parse(Gated), new PolicyEngineOptions { TimeProvider = clock });
        var call = Engine.Call("order", """{"qty":1}""", "s");
        ev.Evaluate(call);
        string id = ev.GetApprovalId(call)!;
        Assert.True(ev.Approve(id));

        bool? revoked = null;
        Thread? revoker = null;
        clock.OnRead = n =>
        {
            if (n == 2)
            {
                revoker = new Thread(() => revoked = ev.Revoke(id));
                revoker.Start();
                Thread.Sleep(100);
            }
        };
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(call).Code);
        clock.OnRead = null;
        revoker!.Join();
        Assert.False(revoked);
    }

    [Fact]
    public void A_pending_request_keeps_a_bounded_preview_of_large_arguments_and_still_binds_the_whole_call()
    {
        using var ev = Engine.For(Gated);
        string big = new('x', 1_000_000);
        var call = Engine.Call("order", "{\"memo\":\"" + big + "\"}", "s");
        var asked = ev.Evaluate(call);

        var pending = Assert.Single(ev.GetPendingApprovals());
        Assert.True(pending.ArgumentsTruncated);
        Assert.Equal(128, pending.Arguments.Length);
        Assert.StartsWith("{\"memo\":\"xxx", pending.Arguments, StringComparison.Ordinal);

        Assert.True(ev.Approve(asked.ApprovalId!));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Engine.Call("order", "{\"memo\":\"" + big[..^1] + "y\"}", "s")).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(call).Code);
    }

    [Fact]
    public void A_small_request_is_shown_whole()
    {
        using var ev = Engine.For(Gated);
        ev.Evaluate(Engine.Call("order", """{"b":2,"a":1}""", "s"));
        var pending = Assert.Single(ev.GetPendingApprovals());
        Assert.Equal(("""{"a":1,"b":2}""", false), (pending.Arguments, pending.ArgumentsTruncated));
    }

    [Fact]
    public void Session_ids_that_differ_only_in_a_lone_surrogate_get_different_approvals()
    {
        using var ev = Engine.For(Gated);
        string[] sessions = ["u\ud800", "u\udbff", "u\udc00", "u\ufffd"];
        var ids = sessions.Select(s => ev.Evaluate(Engine.Call("order", "{}", s)).ApprovalId).ToList();
        Assert.Equal(4, ids.Distinct(StringComparer.Ordinal).Count());

        Assert.True(ev.Approve(ids[0]!));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Engine.Call("order", "{}", "u\udbff")).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("order", "{}", "u\ud800")).Code);
    }

    [Fact]
    public void At_the_total_cap_expired_requests_make_room_for_new_ones()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"deny","approval_ttl":"1m","tools":{"order":{"action":"require_approval"}}}""", clock,
            o => o.MaxPendingApprovals = 100);
        for (int i = 0; i < 100; i++)
        {
            ev.Evaluate(Engine.Call("order", "{}", "s" + i));
        }

        var full = ev.Evaluate(Engine.Call("order", "{}", "late"));
        Assert.False(ev.Approve(full.ApprovalId!)); // not recorded: every slot holds a live request
        Assert.Equal(100, ev.GetPendingApprovals().Count);

        clock.Advance(TimeSpan.FromSeconds(60));
        var fresh = ev.Evaluate(Engine.Call("order", "{}", "late"));
        Assert.Equal(fresh.ApprovalId, full.ApprovalId);
        Assert.True(ev.Approve(fresh.ApprovalId!));
    }

    /// <summary>A clock whose reads can call back into the test, to act while the engine is inside a step.</summary>
    private sealed class CallbackClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;
        private int _reads;

        public Action<int>? OnRead
        {
            get;
            set
            {
                _reads = 0;
                field = value;
            }
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => Engine.Epoch + TimeSpan.FromTicks(_ticks);

        public override long GetTimestamp()
        {
            OnRead?.Invoke(Interlocked.Increment(ref _reads));
            return _ticks;
        }

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
