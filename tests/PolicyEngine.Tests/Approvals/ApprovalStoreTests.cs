using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Approvals;

namespace PolicyEngine.Tests.Approvals;

/// <summary>
/// The approval store on its own, in states that the engine reaches only between two threads: a grant spent by its
/// call but not yet removed, and a request or grant made on a policy snapshot newer than the one the store has heard
/// of. Found by the mutation run: these lines were alive, since no single-threaded engine test stops in them.
/// </summary>
public class ApprovalStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);
    private static readonly DecisionOutcome Outcome = new(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, "/tools/order", null);

    private static ApprovalStore Store(string fingerprint, int cap = 10) =>
        new(new PolicyEngineOptions
        {
            TimeProvider = new FakeTimeProvider(DateTimeOffset.UnixEpoch),
            MaxPendingApprovals = cap,
            MaxPendingApprovalsPerSession = cap,
        }, fingerprint);

    private static void Ask(ApprovalStore store, string id, string fingerprint) =>
        store.RecordPending(id, new ToolCall("order") { SessionId = "s-" + id }, "{}", Outcome, Ttl, fingerprint);

    [Fact]
    public void Revoking_a_grant_its_call_has_spent_but_not_yet_removed_says_false_and_frees_its_room()
    {
        var store = Store("A", cap: 1);
        Ask(store, "x", "A");
        Assert.True(store.Approve("x", Ttl, "A"));
        var grant = store.TryTakeGrant("x");
        Assert.NotNull(grant);
        grant.Spend(); // the call ran; SpendGrant's removal has not happened yet

        Assert.False(store.Revoke("x")); // the call won: nothing was revoked
        Assert.Null(store.TryTakeGrant("x"));

        Ask(store, "y", "A");
        Assert.True(store.Approve("y", Ttl, "A")); // the spent grant no longer holds the only room
    }

    [Fact]
    public void A_grant_made_on_the_new_policy_before_the_store_hears_of_it_survives_the_change()
    {
        var store = Store("A");
        Ask(store, "x", "B"); // a call on the new snapshot asked, and was approved, before PolicyChanged("B")
        Assert.True(store.Approve("x", Ttl, "B"));
        store.PolicyChanged("B");
        Assert.NotNull(store.TryTakeGrant("x"));
    }

    [Fact]
    public void Announcing_the_policy_in_force_again_drops_nothing()
    {
        var store = Store("A");
        Ask(store, "x", "B"); // a request on a snapshot the store has not heard of yet
        store.PolicyChanged("A");
        store.PolicyChanged("B");
        Assert.True(store.Approve("x", Ttl, "B"));
    }
}
