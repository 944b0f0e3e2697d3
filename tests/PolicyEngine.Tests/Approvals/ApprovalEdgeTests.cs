using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Approvals;

/// <summary>Edges the mutation run found untested: id layout, exact expiry instants and the session cap's sweep.</summary>
public class ApprovalEdgeTests
{
    private const string Gated = """{"version":"1","default":"deny","approval_ttl":"1m","tools":{"ab":{"action":"require_approval"},"b":{"action":"require_approval"},"t":{"action":"require_approval"}}}""";

    [Fact]
    public void Ids_are_length_prefixed_so_a_session_and_tool_split_differently_never_share_one()
    {
        using var ev = Engine.For(Gated);
        // Concatenated without lengths, "s" + "ab" and "sa" + "b" are the same characters.
        Assert.NotEqual(ev.GetApprovalId(Engine.Call("ab", "{}", "s")), ev.GetApprovalId(Engine.Call("b", "{}", "sa")));
    }

    [Fact]
    public void No_session_and_an_empty_session_are_one_session_and_no_arguments_are_empty_arguments()
    {
        using var ev = Engine.For(Gated);
        var id = ev.GetApprovalId(new ToolCall("t"));
        Assert.Matches("^apr_[0-9a-f]{64}$", id);
        Assert.Equal(id, ev.GetApprovalId(Engine.Call("t", "{}", "")));
        Assert.Equal(id, ev.Evaluate(new ToolCall("t")).ApprovalId);
    }

    [Fact]
    public void Revoke_at_the_exact_instant_an_approval_expires_finds_nothing_to_revoke()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Gated, clock);
        var id = ev.Evaluate(Engine.Call("t", "{}", "s")).ApprovalId!;
        Assert.True(ev.Approve(id));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(ev.Revoke(id));
    }

    [Fact]
    public void At_the_session_cap_a_request_expiring_this_instant_makes_room_before_a_live_one_is_dropped()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Gated, clock, o => o.MaxPendingApprovalsPerSession = 2);
        var first = ev.Evaluate(Engine.Call("t", """{"n":1}""", "s")).ApprovalId!;
        clock.Advance(TimeSpan.FromSeconds(10));
        var second = ev.Evaluate(Engine.Call("t", """{"n":2}""", "s")).ApprovalId!;
        clock.Advance(TimeSpan.FromSeconds(10));
        ev.Evaluate(Engine.Call("t", """{"n":1}""", "s")); // asked again: lives to 80 s, keeps its place as the oldest
        clock.Advance(TimeSpan.FromSeconds(50)); // 70 s: the second expires at exactly this instant
        ev.Evaluate(Engine.Call("t", """{"n":3}""", "s"));
        Assert.True(ev.Approve(first)); // the expired one made room; the live oldest was not dropped
        Assert.False(ev.Approve(second));
    }

    [Fact]
    public void The_documented_defaults_hold()
    {
        var options = new PolicyEngineOptions();
        Assert.Equal((100_000, 10_000, 16), (options.MaxTrackedLimitKeys, options.MaxPendingApprovals, options.MaxPendingApprovalsPerSession));
    }

    [Fact]
    public void A_pending_request_shows_the_rule_and_the_message_that_asked_for_it()
    {
        using var ev = Engine.For("""{"version":"1","default":"deny","tools":{"pay":{"approve_if":[{"conditions":[{"path":"args.amount","op":"gt","value":100}],"reason":"Big one."}]}}}""");
        var asked = ev.Evaluate(Engine.Call("pay", """{"amount":500}""", "s"));
        var pending = Assert.Single(ev.GetPendingApprovals());
        Assert.Equal((asked.ApprovalId, "/tools/pay/approve_if/0", "Big one."), (pending.ApprovalId, pending.Rule, pending.Message));
        Assert.Equal((asked.Rule, asked.Message), (pending.Rule, pending.Message));
    }
}
