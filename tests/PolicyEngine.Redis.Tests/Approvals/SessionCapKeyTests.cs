using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Redis.Tests.TestSupport;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Approvals;

/// <summary>
/// The per-session cap on pending requests counts whole sessions: a request shows only a 64-character preview of its
/// session, and two sessions that share that preview must not share a cap (one would push the other's requests out).
/// The same through the in-memory <see cref="PolicyStateStore"/> and through Redis.
/// </summary>
public sealed class SessionCapKeyTests(RedisFixture redis)
{
    private const string NeedsApproval = """{"version":"1","default":"allow","tools":{"wire":{"action":"require_approval"}}}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<int> PendingAfterTwoLongSessions(Func<TimeProvider, PolicyStateStore> makeStore)
    {
        var clock = new FakeTimeProvider(Epoch);
        var store = makeStore(clock);
        using var ev = new PolicyEvaluator(Policy.Parse(NeedsApproval),
            new PolicyEngineOptions { TimeProvider = clock, StateStore = store, MaxPendingApprovalsPerSession = 1 });
        string prefix = new('s', 64);
        foreach (var session in new[] { prefix + "-alice", prefix + "-bob" })
        {
            var asked = await ev.EvaluateAsync(new ToolCall("wire") { SessionId = session }, Token);
            Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        }

        var pending = await ev.GetPendingApprovalsAsync(Token);
        (store as IDisposable)?.Dispose();
        Assert.All(pending, p => Assert.Equal(prefix, p.SessionId)); // both show the same preview
        return pending.Count;
    }

    [Fact]
    public async Task In_memory_two_sessions_with_one_preview_keep_a_request_each() =>
        Assert.Equal(2, await PendingAfterTwoLongSessions(clock => PolicyStateStore.CreateInMemory(new PolicyEngineOptions { TimeProvider = clock })));

    [Fact]
    public async Task In_redis_two_sessions_with_one_preview_keep_a_request_each() =>
        Assert.Equal(2, await PendingAfterTwoLongSessions(_ => redis.Store()));
}
