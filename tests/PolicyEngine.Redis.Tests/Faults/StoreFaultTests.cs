using System.Diagnostics;
using System.Text.Json;
using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// A real redis-server, killed, frozen, restarted and flushed under a running evaluator: every decision that needs
/// state is <c>state_unavailable</c> within the timeout while it is gone, with no exception and no hang; calls decided
/// without state never notice; the breaker keeps a dead store to about one attempt per interval; and the counters and
/// approvals are all there again after the server or the application restarts.
/// </summary>
public sealed class StoreFaultTests(RedisFixture redis)
{
    private const string Policy = """
        {"version":"1","default":"deny","approval_ttl":"1h","hide":["secret_*"],
         "tools":{
           "pay":{"rate_limit":{"max":5,"window":3600}},
           "transfer":{"action":"require_approval"},
           "nuke":{"action":"deny","reason":"Never."},
           "read":{}}}
        """;

    // The store answers in 100 ms or the call is denied; anything slower than this is a hang (the margin is for a loaded CI machine).
    private static readonly TimeSpan CallBound = FaultyApp.Timeout + TimeSpan.FromMilliseconds(400);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ToolCall Pay => new("pay") { SessionId = "alice" };

    private static ToolCall Transfer => new("transfer", JsonDocument.Parse("""{"to":"bob","amount":10}""").RootElement) { SessionId = "alice" };

    /// <summary>A server of the test's own, to kill and restart; its append-only file (fsync always) keeps what it was told.</summary>
    private RedisServer Server() => redis.StartOwnServer(appendOnly: true);

    private static async Task<(Decision Decision, TimeSpan Elapsed)> TimedAsync(PolicyEvaluator evaluator, ToolCall call)
    {
        var clock = Stopwatch.StartNew();
        var decision = await evaluator.EvaluateAsync(call, Ct);
        return (decision, clock.Elapsed);
    }

    /// <summary>
    /// Calls <c>pay</c> for 1.2 s against a store that is gone: each is state_unavailable within <see cref="CallBound"/>,
    /// with a short retry-after, and never throws; with <paramref name="sync"/>, the blocking Evaluate too.
    /// </summary>
    private static async Task<Outage> OutageAsync(FaultyApp app, bool sync)
    {
        int before = app.Store.Acquires;
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(1.2))
        {
            var (decision, elapsed) = await TimedAsync(app.Evaluator, Pay);
            calls++;
            Assert.True(decision.Code == DecisionCodes.StateUnavailable, $"call {calls} during the outage: {decision.Code}");
            Assert.True(elapsed < CallBound, $"call {calls} took {elapsed.TotalMilliseconds} ms");
            Assert.True(decision.RetryAfter > TimeSpan.Zero && decision.RetryAfter <= FaultyApp.BreakDuration, $"retry after {decision.RetryAfter}");
            if (sync)
            {
                var blocking = Stopwatch.StartNew();
                Assert.Equal(DecisionCodes.StateUnavailable, app.Evaluator.Evaluate(Pay).Code);
                Assert.True(blocking.Elapsed < CallBound, $"Evaluate took {blocking.Elapsed.TotalMilliseconds} ms");
                calls++;
                await Task.Delay(20, Ct);
            }
        }

        return new Outage(calls, app.Store.Acquires - before, clock.Elapsed);
    }

    private sealed record Outage(int Calls, int Attempts, TimeSpan Elapsed)
    {
        public void AssertAboutOneAttemptPerInterval() =>
            Assert.True(Attempts <= (int)Math.Ceiling(Elapsed / FaultyApp.BreakDuration) + 1,
                $"{Attempts} store attempts for {Calls} calls in {Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Killed_server_denies_with_state_unavailable_in_time_then_correct_decisions_resume_with_the_counters_kept()
    {
        using var server = Server();
        using var app = new FaultyApp(server, Policy, "pe-kill");
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);

        server.Kill();
        long measuredBefore = app.Failures.Measured;
        var outage = await OutageAsync(app, sync: true);

        // The breaker: about one attempt per interval (here 1.2 s / 400 ms), not one per call (here 2 × ~40).
        outage.AssertAboutOneAttemptPerInterval();

        // Each failed attempt, and only those, is logged once as a warning and counted on the metric.
        Assert.Equal(outage.Attempts, app.Failures.Entries.Count);
        Assert.All(app.Failures.Entries, entry =>
        {
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
            Assert.Equal(3001, entry.Id.Id);
            Assert.Contains("state_unavailable", entry.Message, StringComparison.Ordinal);
        });
        Assert.True(app.Failures.Measured - measuredBefore >= outage.Attempts, $"{app.Failures.Measured - measuredBefore} failures measured, {outage.Attempts} attempts");

        // Restarted from its append-only file: the two spends are still there, so exactly three more fit.
        server.Restart();
        await app.ReconnectedAsync(Ct);
        var resumed = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            resumed.Add((await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        }

        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.Allowed, DecisionCodes.Allowed, DecisionCodes.RateLimited], resumed);
    }

    [Fact]
    public async Task Calls_decided_without_state_are_unaffected_while_the_server_is_down()
    {
        using var server = Server();
        using var app = new FaultyApp(server, Policy, "pe-stateless");
        server.Kill();
        Assert.Equal(DecisionCodes.StateUnavailable, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code); // the breaker is open now
        int attempts = app.Store.Acquires;

        (ToolCall Call, string Code)[] stateless =
        [
            (new ToolCall("bad name!") { SessionId = "alice" }, DecisionCodes.InvalidCall),
            (new ToolCall("secret_keys") { SessionId = "alice" }, DecisionCodes.Hidden),
            (new ToolCall("nuke") { SessionId = "alice" }, DecisionCodes.Denied),
            (new ToolCall("unlisted") { SessionId = "alice" }, DecisionCodes.DefaultDeny),
            (new ToolCall("read") { SessionId = "alice" }, DecisionCodes.Allowed), // no limit, no approval: nothing to ask
        ];
        foreach (var (call, code) in stateless)
        {
            var (decision, elapsed) = await TimedAsync(app.Evaluator, call);
            Assert.Equal(code, decision.Code);
            Assert.True(elapsed < CallBound, $"{call.Tool} took {elapsed.TotalMilliseconds} ms"); // loose: the attempt count below is the proof
            Assert.Equal(code, app.Evaluator.Evaluate(call).Code);
        }

        Assert.Equal(attempts, app.Store.Acquires);
    }

    [Fact]
    public async Task Frozen_server_costs_one_timeout_per_break_interval_not_one_per_call()
    {
        using var server = Server();
        using var app = new FaultyApp(server, Policy.Replace("\"max\":5", "\"max\":1000", StringComparison.Ordinal), "pe-freeze");
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);

        app.Freeze();
        try
        {
            var outage = await OutageAsync(app, sync: false);

            // Each attempt waited the whole timeout; the calls in between were denied at once. Calls back to back would
            // make ~12 attempts in 1.2 s without the breaker; with it, one per 400 ms interval.
            Assert.True(outage.Calls > 20, $"only {outage.Calls} calls in {outage.Elapsed.TotalMilliseconds:F0} ms");
            outage.AssertAboutOneAttemptPerInterval();
        }
        finally
        {
            app.Thaw();
        }

        await app.ReconnectedAsync(Ct);
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
    }

    [Fact]
    public async Task A_flushed_script_cache_is_reloaded_and_the_next_call_is_still_correct()
    {
        using var server = Server();
        using var app = new FaultyApp(server, Policy, "pe-flush");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        }

        await app.FlushScriptsAsync();
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        await app.FlushScriptsAsync();
        Assert.Equal(DecisionCodes.Allowed, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        Assert.Equal(DecisionCodes.RateLimited, (await app.Evaluator.EvaluateAsync(Pay, Ct)).Code);
    }

    [Fact]
    public async Task Counters_and_approvals_survive_an_application_restart_and_a_server_crash()
    {
        using var server = Server();
        string? approvalId;
        using (var first = new FaultyApp(server, Policy, "pe-restart"))
        {
            Assert.Equal(DecisionCodes.Allowed, (await first.Evaluator.EvaluateAsync(Pay, Ct)).Code);
            Assert.Equal(DecisionCodes.Allowed, (await first.Evaluator.EvaluateAsync(Pay, Ct)).Code);
            var asked = await first.Evaluator.EvaluateAsync(Transfer, Ct);
            Assert.Equal(DecisionCodes.ApprovalRequired, asked.Code);
            approvalId = asked.ApprovalId;
        }

        // The application restarts: new connection, store and evaluator. The request is still pending.
        using (var second = new FaultyApp(server, Policy, "pe-restart"))
        {
            Assert.Contains(await second.Evaluator.GetPendingApprovalsAsync(Ct), p => p.ApprovalId == approvalId);
            Assert.True(await second.Evaluator.ApproveAsync(approvalId!, Ct));
            Assert.Equal(DecisionCodes.Allowed, (await second.Evaluator.EvaluateAsync(Pay, Ct)).Code); // third of five
        }

        // The server crashes (SIGKILL, no final save) and comes back from its append-only file; the application restarts too.
        server.Kill();
        server.Restart();
        using var third = new FaultyApp(server, Policy, "pe-restart");
        var codes = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            codes.Add((await third.Evaluator.EvaluateAsync(Pay, Ct)).Code);
        }

        Assert.Equal([DecisionCodes.Allowed, DecisionCodes.Allowed, DecisionCodes.RateLimited], codes);

        // The approval given before the crash is still there, and is spent once.
        var ran = await third.Evaluator.EvaluateAsync(Transfer, Ct);
        Assert.Equal(DecisionCodes.Allowed, ran.Code);
        Assert.Equal(approvalId, ran.ApprovalId);
        Assert.Equal(DecisionCodes.ApprovalRequired, (await third.Evaluator.EvaluateAsync(Transfer, Ct)).Code);
    }
}
