using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Approvals;

/// <summary>Pending requests and single-use grants in Redis, bound to the policy's fingerprint, capped, and expiring on the store's clock.</summary>
public sealed class ApprovalStoreTests(RedisFixture redis)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static StateRequest Ask(string id, DateTimeOffset now, string session = "s1", string fingerprint = "fp", int maxPending = 100, int perSession = 16,
        bool keep = false, params LimitCharge[] charges) =>
        new(charges, now, fingerprint)
        {
            GrantId = id,
            Pending = new PendingApproval(id, "transfer", session, "{\"amount\":5}", "/tools/transfer/approve_if", "Needs a person.", now, now + Ttl, false),
            ApprovalTtl = Ttl,
            KeepGrant = keep,
            MaxPendingApprovals = maxPending,
            MaxPendingApprovalsPerSession = perSession,
        };

    [Fact]
    public async Task A_missing_grant_records_a_request_that_approve_turns_into_one_use()
    {
        using var store = redis.Store();
        var limit = Count("l", "s1", TimeSpan.FromMinutes(1), 5);
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_1", Epoch, charges: limit), Token)).Kind);
        var pending = Assert.Single(await store.GetPendingApprovalsAsync("fp", Epoch, Token));
        Assert.Equal(("apr_1", "transfer", "s1", "{\"amount\":5}", "/tools/transfer/approve_if", "Needs a person."),
            (pending.ApprovalId, pending.Tool, pending.SessionId, pending.Arguments, pending.Rule, pending.Message));
        Assert.Equal(Epoch, pending.RequestedAt);
        Assert.Equal(Epoch + Ttl, pending.ExpiresAt);

        Assert.True(await store.ApproveAsync("apr_1", "fp", Ttl, Epoch.AddMinutes(1), Token));
        Assert.Empty(await store.GetPendingApprovalsAsync("fp", Epoch.AddMinutes(1), Token));
        Assert.False(await store.ApproveAsync("apr_1", "fp", Ttl, Epoch.AddMinutes(1), Token)); // no longer pending

        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_1", Epoch.AddMinutes(2), charges: limit), Token)).Kind);
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_1", Epoch.AddMinutes(2), charges: limit), Token)).Kind);
    }

    [Fact]
    public async Task A_grant_is_kept_when_a_limit_denies_and_when_asked_to_keep_it()
    {
        using var store = redis.Store();
        var full = Count("l", "s1", TimeSpan.FromMinutes(1), 1);
        await store.Acquire(Epoch, full);
        await store.AcquireAsync(Ask("apr_2", Epoch), Token);
        Assert.True(await store.ApproveAsync("apr_2", "fp", Ttl, Epoch, Token));

        Assert.Equal(StateVerdictKind.Limited, (await store.AcquireAsync(Ask("apr_2", Epoch, charges: full), Token)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_2", Epoch, keep: true), Token)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_2", Epoch.AddMinutes(1), charges: full), Token)).Kind);
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_2", Epoch.AddMinutes(1), keep: true), Token)).Kind);
    }

    [Fact]
    public async Task Requests_and_grants_of_another_policy_take_no_place_under_the_caps()
    {
        // In memory a reload drops them; here they stay until their TTL, but must not crowd out the policy in force
        // (found by the Redis differential test: a request after a reload was refused at the total cap).
        using var store = redis.Store();
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_old", Epoch, session: "s1", fingerprint: "A", maxPending: 1, perSession: 1), Token)).Kind);
        Assert.True(await store.ApproveAsync("apr_old", "A", Ttl, Epoch, Token)); // a grant under A, and the cap of grants is 1
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_a2", Epoch, session: "s1", fingerprint: "A", maxPending: 1, perSession: 1), Token)).Kind);
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_new", Epoch, session: "s2", fingerprint: "B", maxPending: 1, perSession: 1), Token)).Kind);
        Assert.Equal("apr_new", Assert.Single(await store.GetPendingApprovalsAsync("B", Epoch, Token)).ApprovalId);
        Assert.True(await store.ApproveAsync("apr_new", "B", Ttl, Epoch, Token)); // the grant under A does not fill the cap either
    }

    [Fact]
    public async Task Requests_and_grants_belong_to_their_policy()
    {
        using var store = redis.Store();
        await store.AcquireAsync(Ask("apr_3", Epoch, fingerprint: "old"), Token);
        Assert.Empty(await store.GetPendingApprovalsAsync("new", Epoch, Token));
        Assert.False(await store.ApproveAsync("apr_3", "new", Ttl, Epoch, Token));
        Assert.True(await store.ApproveAsync("apr_3", "old", Ttl, Epoch, Token));
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_3", Epoch, fingerprint: "new"), Token)).Kind);
        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_3", Epoch, fingerprint: "old"), Token)).Kind);
    }

    [Fact]
    public async Task Deny_drops_a_live_request_and_revoke_withdraws_an_unspent_grant()
    {
        using var store = redis.Store();
        await store.AcquireAsync(Ask("apr_4", Epoch), Token);
        Assert.False(await store.RevokeAsync("apr_4", Epoch, Token)); // pending, not granted
        Assert.True(await store.DenyAsync("apr_4", Epoch, Token));
        Assert.False(await store.DenyAsync("apr_4", Epoch, Token));
        Assert.False(await store.ApproveAsync("apr_4", "fp", Ttl, Epoch, Token));

        await store.AcquireAsync(Ask("apr_5", Epoch), Token);
        Assert.True(await store.ApproveAsync("apr_5", "fp", Ttl, Epoch, Token));
        Assert.False(await store.DenyAsync("apr_5", Epoch, Token)); // granted, no longer pending
        Assert.True(await store.RevokeAsync("apr_5", Epoch, Token));
        Assert.False(await store.RevokeAsync("apr_5", Epoch, Token));
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_5", Epoch), Token)).Kind);
    }

    [Fact]
    public async Task Requests_and_grants_expire_after_the_ttl()
    {
        using var store = redis.Store();
        await store.AcquireAsync(Ask("apr_6", Epoch), Token);
        await store.AcquireAsync(Ask("apr_6", Epoch.AddMinutes(5)), Token); // asking again refreshes it
        Assert.Single(await store.GetPendingApprovalsAsync("fp", Epoch.AddMinutes(14), Token));
        Assert.Empty(await store.GetPendingApprovalsAsync("fp", Epoch.AddMinutes(15), Token));
        Assert.False(await store.ApproveAsync("apr_6", "fp", Ttl, Epoch.AddMinutes(15), Token));
        Assert.False(await store.DenyAsync("apr_6", Epoch.AddMinutes(15), Token));

        await store.AcquireAsync(Ask("apr_7", Epoch), Token);
        Assert.True(await store.ApproveAsync("apr_7", "fp", Ttl, Epoch, Token));
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_7", Epoch + Ttl), Token)).Kind);
        Assert.False(await store.RevokeAsync("apr_7", Epoch + Ttl, Token));
    }

    [Fact]
    public async Task A_session_keeps_its_newest_requests_and_the_total_is_capped()
    {
        using var store = redis.Store();
        for (int i = 0; i < 5; i++)
        {
            await store.AcquireAsync(Ask($"apr_s{i}", Epoch.AddSeconds(i), perSession: 3), Token);
        }

        Assert.Equal(["apr_s2", "apr_s3", "apr_s4"], (await store.GetPendingApprovalsAsync("fp", Epoch.AddSeconds(5), Token)).Select(p => p.ApprovalId));

        // The total: 3 live requests of session s1 fill a cap of 4 with one of s2; a third session's request is not kept.
        await store.AcquireAsync(Ask("apr_t1", Epoch.AddSeconds(6), session: "s2", maxPending: 4), Token);
        await store.AcquireAsync(Ask("apr_t2", Epoch.AddSeconds(7), session: "s3", maxPending: 4), Token);
        var live = (await store.GetPendingApprovalsAsync("fp", Epoch.AddSeconds(8), Token)).Select(p => p.ApprovalId).ToList();
        Assert.Equal(["apr_s2", "apr_s3", "apr_s4", "apr_t1"], live);

        // Once some expire, there is room again.
        await store.AcquireAsync(Ask("apr_t3", Epoch.AddMinutes(11), session: "s3", maxPending: 4), Token);
        Assert.Equal(["apr_t3"], (await store.GetPendingApprovalsAsync("fp", Epoch.AddMinutes(11), Token)).Select(p => p.ApprovalId));
    }

    [Fact]
    public async Task Grants_are_capped_like_requests_and_a_refused_approval_stays_pending()
    {
        using var store = redis.Store();
        await store.AcquireAsync(Ask("apr_g1", Epoch, maxPending: 1), Token);
        Assert.True(await store.ApproveAsync("apr_g1", "fp", Ttl, Epoch, Token));
        await store.AcquireAsync(Ask("apr_g2", Epoch, maxPending: 1), Token);
        Assert.False(await store.ApproveAsync("apr_g2", "fp", Ttl, Epoch, Token)); // one grant already, the cap is 1
        Assert.Single(await store.GetPendingApprovalsAsync("fp", Epoch, Token));
        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_g1", Epoch), Token)).Kind); // spent: room again
        Assert.True(await store.ApproveAsync("apr_g2", "fp", Ttl, Epoch, Token));
    }

    [Fact]
    public async Task On_redis_time_the_callers_clock_is_ignored()
    {
        using var store = redis.Store(clock: RedisClock.Server);
        var longAgo = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero); // a request made then would have expired long since
        Assert.Equal(StateVerdictKind.GrantMissing, (await store.AcquireAsync(Ask("apr_srv", longAgo), Token)).Kind);
        var pending = Assert.Single(await store.GetPendingApprovalsAsync("fp", longAgo, Token));
        Assert.InRange(pending.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        Assert.True(await store.ApproveAsync("apr_srv", "fp", Ttl, longAgo, Token));
        Assert.Equal(StateVerdictKind.Acquired, (await store.AcquireAsync(Ask("apr_srv", longAgo), Token)).Kind);
        Assert.False(await store.RevokeAsync("apr_srv", longAgo, Token));
    }
}
