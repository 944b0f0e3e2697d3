using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.State;

/// <summary>The shared-store path: one request per stateful call, none for the others, and fail closed when the store fails.</summary>
public sealed class StateGateTests
{
    private const string Policy = """
        {"version":"1","default":"allow",
         "hide":["secret"],
         "tools":{
           "pay":{"limits":[{"max":2,"window":60}]},
           "spend":{"limits":[{"max":10,"window":60,"cost":"args.amount"},{"max":3,"window":60,"per":"global"}]},
           "wire":{"action":"require_approval","limits":[{"max":1,"window":60}]},
           "drop":{"deny_if":[{"conditions":[{"path":"args.x","op":"eq","value":1}]}]}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (PolicyEvaluator Evaluator, ScriptedStore Store, FakeTimeProvider Clock) Build(string policy = Policy, TimeSpan? timeout = null, bool shadow = false)
    {
        var clock = Engine.Clock();
        var store = new ScriptedStore(PolicyStateStore.CreateInMemory(new PolicyEngineOptions { TimeProvider = clock }), timeout ?? TimeSpan.FromMilliseconds(200));
        var evaluator = Engine.For(shadow ? policy.Replace("\"default\":\"allow\"", "\"default\":\"allow\",\"mode\":\"shadow\"", StringComparison.Ordinal) : policy,
            clock, o => o.StateStore = store);
        return (evaluator, store, clock);
    }

    [Fact]
    public void Calls_decided_without_state_never_reach_the_store()
    {
        var (ev, store, _) = Build();
        store.Behaviour = ScriptedStore.Mode.Throw;
        Assert.Equal(DecisionCodes.InvalidCall, ev.Evaluate(new ToolCall("bad name!")).Code);
        Assert.Equal(DecisionCodes.Hidden, ev.Evaluate(new ToolCall("secret")).Code);
        Assert.Equal(DecisionCodes.Denied, ev.Evaluate(Engine.Call("drop", """{"x":1}""")).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("drop", """{"x":2}""")).Code);
        Assert.Equal(0, store.Acquires);
    }

    [Fact]
    public void A_call_with_two_limits_takes_one_request_and_the_store_decides_all_or_nothing()
    {
        var (ev, store, _) = Build();
        Assert.True(ev.Evaluate(Engine.Call("spend", """{"amount":6}""", "s")).IsAllowed);
        Assert.Equal(1, store.Acquires);
        Assert.Equal(2, store.LastRequest!.Charges.Count);
        var denied = ev.Evaluate(Engine.Call("spend", """{"amount":5}""", "s"));
        Assert.Equal((DecisionCodes.RateLimited, "/tools/spend/limits/0"), (denied.Code, denied.Rule));
        Assert.Equal(TimeSpan.FromSeconds(60), denied.RetryAfter);
        // nothing of the denied call was spent on the global count limit: two more calls of cost 1 fit (3 in all)
        Assert.True(ev.Evaluate(Engine.Call("spend", """{"amount":1}""", "s")).IsAllowed);
        Assert.True(ev.Evaluate(Engine.Call("spend", """{"amount":1}""", "s")).IsAllowed);
        Assert.Equal("/tools/spend/limits/1", ev.Evaluate(Engine.Call("spend", """{"amount":1}""", "s")).Rule);
    }

    [Fact]
    public async Task In_memory_EvaluateAsync_completes_synchronously_and_a_shared_store_answers_the_same()
    {
        using var local = Engine.For(Policy);
        var pending = local.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
        Assert.True(pending.IsCompletedSuccessfully);
        var (shared, _, _) = Build();
        for (int i = 0; i < 4; i++)
        {
            var a = await local.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
            var b = await shared.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
            b = i == 0 ? await shared.EvaluateAsync(Engine.Call("pay", session: "s"), Ct) : b; // the local one spent once above
            Assert.Equal((a.Code, a.Rule, a.RetryAfter, a.Message), (b.Code, b.Rule, b.RetryAfter, b.Message));
        }
    }

    [Theory]
    [InlineData(ScriptedStore.Mode.Throw)]
    [InlineData(ScriptedStore.Mode.Hang)]
    [InlineData(ScriptedStore.Mode.Nonsense)]
    public async Task A_failing_store_denies_with_state_unavailable_within_the_timeout_and_never_throws(ScriptedStore.Mode mode)
    {
        var (ev, store, _) = Build(timeout: TimeSpan.FromMilliseconds(150));
        store.Behaviour = mode;
        var watch = Stopwatch.StartNew();
        var d = await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.StateUnavailable), (d.Effect, d.Code));
        Assert.NotNull(d.Message);
        Assert.Equal(store.BreakDuration, d.RetryAfter);
        var sync = ev.Evaluate(Engine.Call("pay", session: "s")); // the synchronous path fails closed too (the breaker is open now)
        Assert.Equal(DecisionCodes.StateUnavailable, sync.Code);
    }

    [Fact]
    public async Task After_a_failure_the_breaker_spares_the_store_and_one_probe_closes_it()
    {
        var (ev, store, _) = Build(timeout: TimeSpan.FromMilliseconds(100));
        store.Behaviour = ScriptedStore.Mode.Hang;
        Assert.Equal(DecisionCodes.StateUnavailable, (await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct)).Code);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            var d = await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
            Assert.Equal(DecisionCodes.StateUnavailable, d.Code);
            Assert.InRange(d.RetryAfter!.Value, TimeSpan.FromMilliseconds(1), store.BreakDuration);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(250), $"1,000 calls while broken took {watch.Elapsed}"); // none waited a timeout
        Assert.Equal(1, store.Acquires);
        store.Behaviour = ScriptedStore.Mode.Healthy;
        await Task.Delay(store.BreakDuration + TimeSpan.FromMilliseconds(50), Ct);
        Assert.True((await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct)).IsAllowed);
        Assert.True((await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct)).IsAllowed);
        Assert.Equal(3, store.Acquires);
    }

    [Fact]
    public void An_exhausted_limit_is_denied_locally_until_its_retry_after_with_the_stores_own_answer()
    {
        var (ev, store, clock) = Build();
        ev.Evaluate(Engine.Call("pay", session: "s"));
        clock.Advance(TimeSpan.FromSeconds(10));
        ev.Evaluate(Engine.Call("pay", session: "s"));
        var first = ev.Evaluate(Engine.Call("pay", session: "s"));
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(50)), (first.Code, first.RetryAfter));
        int asked = store.Acquires;
        clock.Advance(TimeSpan.FromSeconds(20));
        var cached = ev.Evaluate(Engine.Call("pay", session: "s"));
        Assert.Equal((first.Code, first.Rule, TimeSpan.FromSeconds(30)), (cached.Code, cached.Rule, cached.RetryAfter));
        Assert.Equal(asked, store.Acquires); // no round trip
        Assert.True(ev.Evaluate(Engine.Call("pay", session: "other")).IsAllowed); // another counter is not affected
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(ev.Evaluate(Engine.Call("pay", session: "s")).IsAllowed); // the oldest spend left: the store is asked again
    }

    [Fact]
    public async Task Approvals_go_through_the_store_and_a_grant_is_spent_once()
    {
        var (ev, _, _) = Build();
        var call = Engine.Call("wire", """{"to":"x"}""", "s");
        var asked = await ev.EvaluateAsync(call, Ct);
        Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        var pending = Assert.Single(await ev.GetPendingApprovalsAsync(Ct));
        Assert.Equal((asked.ApprovalId, "wire", "s"), (pending.ApprovalId, pending.Tool, pending.SessionId));
        Assert.True(await ev.ApproveAsync(asked.ApprovalId!, Ct));
        Assert.False(await ev.ApproveAsync(asked.ApprovalId!, Ct));
        var ran = await ev.EvaluateAsync(call, Ct);
        Assert.Equal((DecisionCodes.Allowed, asked.ApprovalId), (ran.Code, ran.ApprovalId));
        Assert.Equal(DecisionCodes.ApprovalRequired, (await ev.EvaluateAsync(call, Ct)).Code);
        Assert.True(await ev.ApproveAsync(asked.ApprovalId!, Ct));
        var limited = await ev.EvaluateAsync(call, Ct); // the limit (max 1) denies: the grant is kept
        Assert.Equal(DecisionCodes.RateLimited, limited.Code);
        Assert.True(await ev.RevokeAsync(asked.ApprovalId!, Ct));
    }

    [Fact]
    public async Task A_store_that_fails_an_approval_throws_to_the_host_who_asked()
    {
        var (ev, store, _) = Build();
        var asked = await ev.EvaluateAsync(Engine.Call("wire", """{"to":"x"}""", "s"), Ct);
        store.Behaviour = ScriptedStore.Mode.Throw;
        await Assert.ThrowsAsync<IOException>(async () => await ev.ApproveAsync(asked.ApprovalId!, Ct));
    }

    [Fact]
    public async Task Shadow_mode_allows_and_reports_what_the_store_decided()
    {
        var (ev, store, _) = Build(shadow: true);
        await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
        await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
        var third = await ev.EvaluateAsync(Engine.Call("pay", session: "s"), Ct);
        Assert.Equal((DecisionCodes.Shadow, DecisionCodes.RateLimited, (string?)null), (third.Code, third.Shadowed?.Code, third.Rule));
        store.Behaviour = ScriptedStore.Mode.Throw;
        var broken = await ev.EvaluateAsync(Engine.Call("pay", session: "t"), Ct);
        Assert.Equal((DecisionCodes.Shadow, DecisionCodes.StateUnavailable), (broken.Code, broken.Shadowed?.Code));
    }

    [Fact]
    public async Task A_refund_goes_back_to_the_store_once()
    {
        var clock = Engine.Clock();
        var store = PolicyStateStore.CreateInMemory(new PolicyEngineOptions { TimeProvider = clock });
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":10,"window":60,"cost":"args.n"}]}}}""", clock,
            o => { o.StateStore = store; o.Refunds = RefundScope.CostLimits; });
        var spent = await ev.EvaluateAsync(Engine.Call("t", """{"n":10}""", "s"), Ct);
        Assert.True(spent.IsRefundable);
        Assert.Equal(DecisionCodes.RateLimited, (await ev.EvaluateAsync(Engine.Call("t", """{"n":1}""", "s"), Ct)).Code);
        Assert.True(await ev.RefundAsync(spent, Ct));
        Assert.False(await ev.RefundAsync(spent, Ct));
        Assert.False(ev.Refund(spent));
        Assert.True((await ev.EvaluateAsync(Engine.Call("t", """{"n":10}""", "s"), Ct)).IsAllowed);
    }

    [Fact]
    public async Task An_unreadable_cost_on_a_call_that_needs_approval_asks_first_and_keeps_the_grant()
    {
        var (ev, _, _) = Build("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval","limits":[{"max":10,"window":60,"cost":"args.n"}]}}}""");
        var call = Engine.Call("t", """{"n":"x"}""", "s");
        var asked = await ev.EvaluateAsync(call, Ct);
        Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
        Assert.True(await ev.ApproveAsync(asked.ApprovalId!, Ct));
        Assert.Equal(DecisionCodes.Indeterminate, (await ev.EvaluateAsync(call, Ct)).Code);
        Assert.True(await ev.RevokeAsync(asked.ApprovalId!, Ct)); // still there: the indeterminate call did not spend it
    }
}
