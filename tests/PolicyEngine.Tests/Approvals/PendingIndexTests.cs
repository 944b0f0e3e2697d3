using PolicyEngine.Approvals;

namespace PolicyEngine.Tests.Approvals;

/// <summary>
/// The pending index on its own, with explicit times (timestamp units): the session cap's sweep drops only what is
/// no longer live and keeps the session's order, and no queue outlives its session's last request. Found by the
/// mutation run: these paths were reached, but no test could tell a lost request or a leaked queue.
/// </summary>
public class PendingIndexTests
{
    private static readonly DecisionOutcome Outcome = new(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, "/tools/t", null);

    private static void Ask(PendingIndex index, string id, string session, long expires, long now, string fingerprint = "f") =>
        index.Record(id, "t", session, "{}", Outcome, fingerprint, DateTimeOffset.UnixEpoch, expires, now);

    /// <summary>An index holding <paramref name="ids"/>, asked in that order at 0 in <paramref name="session"/>, live to 1000.</summary>
    private static PendingIndex Holding(int max, int maxPerSession, string session, params string[] ids)
    {
        var index = new PendingIndex(max, maxPerSession);
        foreach (var id in ids)
        {
            Ask(index, id, session, 1000, 0);
        }

        return index;
    }

    private static string[] Live(PendingIndex index, long now, params string[] ids) =>
        [.. ids.Where(id => index.TryGetLive(id, now, out _))];

    [Fact]
    public void At_the_session_cap_a_removed_request_makes_room_and_the_oldest_live_one_stays_under_the_cap()
    {
        var index = Holding(100, 2, "s", "A", "B");
        Assert.True(index.Remove("B")); // approved or denied: B's entry stays behind A's in the session's queue
        Ask(index, "C", "s", 1000, 1);
        Assert.Equal(["A", "C"], Live(index, 1, "A", "B", "C"));
        Ask(index, "D", "s", 1000, 2); // full of live ones now: the oldest, A, goes; removing B left A under the cap
        Assert.Equal(["C", "D"], Live(index, 2, "A", "C", "D"));
    }

    [Fact]
    public void The_sweep_keeps_the_sessions_order_so_the_oldest_live_request_goes_first()
    {
        var index = Holding(100, 3, "s", "A", "B", "C");
        index.Remove("B");
        Ask(index, "D", "s", 1000, 1); // sweeps B: A, C, D
        Ask(index, "E", "s", 1000, 2); // full of live ones: the oldest, A, goes
        Assert.Equal(["C", "D", "E"], Live(index, 2, "A", "C", "D", "E"));
    }

    [Fact]
    public void A_request_asked_again_after_it_expired_survives_the_sweep_of_its_old_entry()
    {
        var index = new PendingIndex(max: 100, maxPerSession: 3);
        Ask(index, "X", "s", 1000, 0);
        Ask(index, "A", "s", 10, 0);
        Ask(index, "A", "s", 1000, 20); // expired: a new request under the same id, behind A's old entry
        Ask(index, "B", "s", 1000, 20); // at the cap: the sweep drops A's old entry, not A
        Assert.Equal(["X", "A", "B"], Live(index, 20, "X", "A", "B"));
    }

    [Fact]
    public void At_the_session_cap_a_request_expiring_this_instant_is_not_live()
    {
        var index = new PendingIndex(max: 100, maxPerSession: 2);
        Ask(index, "X", "s", 100, 0);
        Ask(index, "A", "s", 10, 0);
        Ask(index, "B", "s", 100, 10); // A expires at exactly 10: it makes room, X stays
        Assert.Equal(["X", "B"], Live(index, 10, "X", "A", "B"));
    }

    [Fact]
    public void A_refreshed_requests_old_expiry_entry_does_not_expire_it()
    {
        var index = new PendingIndex(max: 2, maxPerSession: 16);
        Ask(index, "A", "s1", 10, 0);
        Ask(index, "A", "s1", 15, 5); // asked again: lives to 15
        Ask(index, "B", "s2", 15, 5);
        Ask(index, "C", "s3", 15, 12); // the total is full of live requests: C is refused, A's old entry (10) is only stale
        Assert.Equal(["A", "B"], Live(index, 12, "A", "B", "C"));
    }

    [Fact]
    public void Requests_refused_at_the_total_cap_leave_no_session_queue_behind()
    {
        var index = new PendingIndex(max: 1, maxPerSession: 16);
        Ask(index, "A", "s0", 1000, 0);
        for (int i = 1; i <= 100; i++)
        {
            Ask(index, "R" + i, "s" + i, 1000, 1);
        }

        Assert.Equal(1, index.SessionQueues);
        Assert.Equal(["A"], Live(index, 1, "A", "R1", "R100"));
    }

    [Fact]
    public void A_sessions_queue_goes_with_its_last_request()
    {
        var index = Holding(100, 16, "s2", "B", "C");
        Ask(index, "A", "s1", 1000, 0);
        Assert.Equal(2, index.SessionQueues);
        index.Remove("A");
        index.Remove("C");
        Assert.Equal(1, index.SessionQueues);
        index.Remove("B");
        Assert.Equal(0, index.SessionQueues);
    }

    [Fact]
    public void Removing_the_requests_of_another_policy_compacts_the_expiry_order()
    {
        var index = new PendingIndex(max: 100, maxPerSession: 16);
        for (int i = 0; i < 10; i++)
        {
            Ask(index, "old" + i, "s" + i, 1000, 0, fingerprint: "old");
        }

        Ask(index, "new", "s", 1000, 0, fingerprint: "new");
        index.RemoveWhere(r => r.Fingerprint != "new");
        Assert.Equal((1, 1), (index.OrderEntries, index.SessionQueues));
        Assert.Equal(["new"], Live(index, 0, "old0", "old9", "new"));
    }
}
