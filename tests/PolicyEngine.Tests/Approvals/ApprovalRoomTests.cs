using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Approvals;

/// <summary>
/// What frees room under the approval caps (<see cref="PolicyEngineOptions.MaxPendingApprovals"/>, which bounds both the
/// pending requests and the grants): a reload to another policy drops the old policy's requests and grants, a revoke
/// drops its grant, and an expired grant makes room at the cap. Each test fills the cap first, so an engine that kept
/// what it should have dropped refuses the next approval.
/// </summary>
public class ApprovalRoomTests
{
    private const string Gated = """{"version":"1","default":"deny","tools":{"order":{"action":"require_approval"}}}""";
    private const string GatedOther = """{"version":"1","default":"deny","tools":{"order":{"action":"require_approval","reason":"Other."}}}""";

    private static PolicyEvaluator Capped(Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null) =>
        Engine.For(Gated, clock, o => { o.MaxPendingApprovals = 2; o.MaxPendingApprovalsPerSession = 2; });

    private static string Ask(PolicyEvaluator ev, int qty, string session = "s")
    {
        var decision = ev.Evaluate(Engine.Call("order", $$"""{"qty":{{qty}}}""", session));
        Assert.Equal(DecisionCodes.ApprovalRequired, decision.Code);
        return decision.ApprovalId!;
    }

    [Fact]
    public void A_reload_to_another_policy_frees_the_room_its_requests_held()
    {
        // One session each: at the total cap a new request is not recorded (a session's own cap would evict its oldest).
        using var ev = Capped();
        Ask(ev, 1, "s1");
        Ask(ev, 2, "s2");
        ev.Reload(Policy.Parse(GatedOther));

        string a = Ask(ev, 3, "s3"), b = Ask(ev, 4, "s4");
        Assert.Equal(2, ev.GetPendingApprovals().Count); // listed under the new policy
        Assert.True(ev.Approve(a));
        Assert.True(ev.Approve(b));
    }

    [Fact]
    public void A_reload_to_another_policy_frees_the_room_its_grants_held()
    {
        using var ev = Capped();
        Assert.True(ev.Approve(Ask(ev, 1)));
        Assert.True(ev.Approve(Ask(ev, 2)));
        ev.Reload(Policy.Parse(GatedOther));

        Assert.True(ev.Approve(Ask(ev, 3)));
        Assert.True(ev.Approve(Ask(ev, 4)));
    }

    [Fact]
    public void A_revoked_grant_frees_its_room()
    {
        using var ev = Capped();
        string a = Ask(ev, 1), b = Ask(ev, 2);
        Assert.True(ev.Approve(a));
        Assert.True(ev.Approve(b));
        string c = Ask(ev, 3);
        Assert.False(ev.Approve(c)); // two grants fill the cap: it stays pending
        Assert.True(ev.Revoke(a));
        Assert.True(ev.Approve(c));
    }

    [Fact]
    public void At_the_cap_an_expired_grant_makes_room()
    {
        var clock = Engine.Clock();
        using var ev = Capped(clock);
        Assert.True(ev.Approve(Ask(ev, 1)));
        Assert.True(ev.Approve(Ask(ev, 2)));
        clock.Advance(TimeSpan.FromMinutes(15)); // the default approval_ttl: both grants have expired
        Assert.True(ev.Approve(Ask(ev, 3)));
    }

    [Fact]
    public void Denying_or_revoking_an_unknown_id_says_false()
    {
        using var ev = Capped();
        string a = Ask(ev, 1);
        Assert.False(ev.Deny("apr_" + new string('0', 64)));
        Assert.False(ev.Revoke(a)); // pending, not granted
        Assert.True(ev.Deny(a));
        Assert.False(ev.Deny(a));
    }
}
