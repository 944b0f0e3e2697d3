using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Approvals;

public class ApprovalTests
{
    private const string Withdraw = """
        {"version":"1","default":"deny","approval_ttl":"10m",
         "tools":{"withdraw":{"approve_if":[{"conditions":[{"path":"args.amount","op":"gt","value":100}],"reason":"Big withdrawal."}],
                              "limits":[{"max":1,"window":"1h","per":"global"}]},
                  "other":{"action":"require_approval"}}}
        """;

    private static Decision Ask(PolicyEvaluator ev, string args = """{"amount":500,"to":"x"}""", string session = "s1", string tool = "withdraw") =>
        ev.Evaluate(Engine.Call(tool, args, session));

    [Fact]
    public void The_host_sees_the_request_approves_it_and_the_call_passes_once()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Withdraw, clock);
        var asked = Ask(ev);
        Assert.Equal((PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, "/tools/withdraw/approve_if/0", "Big withdrawal."),
            (asked.Effect, asked.Code, asked.Rule, asked.Message));
        Assert.StartsWith("apr_", asked.ApprovalId, StringComparison.Ordinal);

        var pending = Assert.Single(ev.GetPendingApprovals());
        Assert.Equal((asked.ApprovalId, "withdraw", "s1", """{"amount":500,"to":"x"}""", Engine.Epoch, Engine.Epoch.AddMinutes(10)),
            (pending.ApprovalId, pending.Tool, pending.SessionId, pending.Arguments, pending.RequestedAt, pending.ExpiresAt));

        Assert.True(ev.Approve(asked.ApprovalId!));
        Assert.False(ev.Approve(asked.ApprovalId!)); // already approved
        Assert.Empty(ev.GetPendingApprovals());
        var allowed = Ask(ev, """{"to":"x","amount":500}"""); // key order does not matter
        Assert.Equal((DecisionCodes.Allowed, asked.ApprovalId), (allowed.Code, allowed.ApprovalId));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev).Code); // spent
    }

    [Fact]
    public void An_approval_is_bound_to_session_tool_arguments_and_policy()
    {
        using var ev = Engine.For(Withdraw);
        Assert.True(ev.Approve(Ask(ev).ApprovalId!));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev, """{"amount":500,"to":"*"}""").Code);
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev, session: "s2").Code);
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev, """{"amount":500,"to":"x","approved":true}""").Code);
        ev.Reload(Policy.Parse(Withdraw.Replace("Big withdrawal.", "Large withdrawal.", StringComparison.Ordinal)));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev).Code);
    }

    [Theory]
    [InlineData("9007199254740992", "9007199254740993")]
    [InlineData("1000", "1000.0000000000000001")]
    [InlineData("1e400", "2e400")]
    public void Amounts_a_double_cannot_tell_apart_get_different_approvals(string approved, string replayed)
    {
        using var ev = Engine.For(Withdraw);
        Assert.True(ev.Approve(Ask(ev, $"{{\"amount\":{approved}}}", tool: "other").ApprovalId!));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev, $"{{\"amount\":{replayed}}}", tool: "other").Code);
        Assert.Equal(DecisionCodes.Allowed, Ask(ev, $"{{\"amount\":{approved}}}", tool: "other").Code);
    }

    [Fact]
    public void Equal_amounts_written_differently_share_an_approval()
    {
        using var ev = Engine.For(Withdraw);
        Assert.True(ev.Approve(Ask(ev, """{"amount":500}""").ApprovalId!));
        Assert.Equal(DecisionCodes.Allowed, Ask(ev, """{"amount":5.00e2}""").Code);
    }

    [Fact]
    public void Requests_and_approvals_expire_at_exactly_the_ttl()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Withdraw, clock);
        string id = Ask(ev).ApprovalId!;
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(ev.Approve(id));

        Ask(ev); // asks again: pending for another 10 minutes from now
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(ev.Approve(id));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev).Code);
    }

    [Fact]
    public void Deny_and_revoke_withdraw_requests_and_approvals()
    {
        using var ev = Engine.For(Withdraw);
        string id = Ask(ev).ApprovalId!;
        Assert.True(ev.Deny(id));
        Assert.False(ev.Approve(id));
        Assert.False(ev.Deny(id));

        id = Ask(ev).ApprovalId!;
        Assert.True(ev.Approve(id));
        Assert.True(ev.Revoke(id));
        Assert.False(ev.Revoke(id));
        Assert.Equal(DecisionCodes.ApprovalRequired, Ask(ev).Code);
    }

    [Fact]
    public void An_approval_is_not_spent_when_a_limit_denies_the_call()
    {
        using var ev = Engine.For(Withdraw);
        Assert.True(Ask(ev, """{"amount":5}""", "other-session").IsAllowed); // takes the global limit's only unit
        string id = Ask(ev).ApprovalId!;
        Assert.True(ev.Approve(id));
        Assert.Equal(DecisionCodes.RateLimited, Ask(ev).Code);
        Assert.Equal(DecisionCodes.RateLimited, Ask(ev).Code); // still approved: the limit, not the approval, decides
    }

    [Fact]
    public void Sixty_four_concurrent_identical_calls_spend_one_approval_once()
    {
        using var ev = Engine.For("""{"version":"1","default":"deny","tools":{"pay":{"action":"require_approval"}}}""");
        var call = Engine.Call("pay", """{"amount":5}""", "s");
        Assert.True(ev.Approve(ev.Evaluate(call).ApprovalId!));
        int allowed = 0;
        using var start = new Barrier(64);
        var threads = Enumerable.Range(0, 64).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            if (ev.Evaluate(call).IsAllowed)
            {
                Interlocked.Increment(ref allowed);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(1, allowed);
    }

    [Fact]
    public void Pending_requests_are_capped_per_session_and_in_total()
    {
        using var ev = Engine.For(Withdraw, configure: o => { o.MaxPendingApprovalsPerSession = 3; o.MaxPendingApprovals = 5; });
        var ids = Enumerable.Range(0, 10).Select(i => Ask(ev, $$"""{"amount":{{101 + i}}}""").ApprovalId!).ToList();
        Assert.Equal(ids.TakeLast(3), ev.GetPendingApprovals().Select(p => p.ApprovalId));
        Assert.False(ev.Approve(ids[0])); // the session's oldest made room

        for (int s = 0; s < 5; s++)
        {
            Ask(ev, session: "flood" + s);
        }

        Assert.Equal(5, ev.GetPendingApprovals().Count);
        Assert.True(ev.Approve(ids[^1]));
    }

    [Fact]
    public void Shadow_mode_asks_for_approval_and_reports_it()
    {
        using var ev = Engine.For("""{"version":"1","mode":"shadow","default":"deny","tools":{"pay":{"action":"require_approval"}}}""");
        var d = ev.Evaluate(Engine.Call("pay", "{}", "s"));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Shadow, DecisionCodes.ApprovalRequired), (d.Effect, d.Code, d.Shadowed!.Code));
        Assert.NotNull(d.ApprovalId);
        Assert.Equal(d.ApprovalId, ev.GetApprovalId(Engine.Call("pay", "{}", "s")));
        Assert.Single(ev.GetPendingApprovals());
    }
}
