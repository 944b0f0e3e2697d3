using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.Redis.Tests.Replicas;

/// <summary>
/// Three replicas, each with its own connection and store on one Redis, × 16 callers released together on one limit:
/// across all of them, exactly <c>max</c> is allowed per window, for count and cost limits, and a call with two limits
/// spends on both or on neither.
/// </summary>
public sealed class ReplicaLimitTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Replicas = 3;
    private const int Callers = 16;

    private static ToolCall Pay(decimal amount, string session = "shared") =>
        new("pay", JsonDocument.Parse(string.Create(CultureInfo.InvariantCulture, $$"""{"amount": {{amount}}}""")).RootElement) { SessionId = session };

    [Fact]
    public async Task A_count_limit_allows_exactly_max_across_three_replicas()
    {
        const int max = 25;
        using var replicas = ReplicaSet.Start(redis,
            $$"""{"version":"1","default":"deny","tools":{"pay":{"rate_limit":{"max":{{max}},"window":3600} } } }""", Replicas);

        var tally = await replicas.RunTogether(Callers, 3, _ => Pay(1));

        Assert.Equal(Replicas * Callers * 3, tally.Total);
        Assert.True(tally[DecisionCodes.Allowed] == max, $"allowed {tally[DecisionCodes.Allowed]}, expected {max}: {tally}");
        Assert.Equal(tally.Total - max, tally[DecisionCodes.RateLimited]);

        // Every replica now sees the full counter, whichever of them spent it.
        foreach (var evaluator in replicas.Evaluators)
        {
            var next = await evaluator.EvaluateAsync(Pay(1), Ct);
            Assert.Equal(DecisionCodes.RateLimited, next.Code);
            Assert.True(next.RetryAfter > TimeSpan.Zero && next.RetryAfter <= TimeSpan.FromHours(1), $"retry after {next.RetryAfter}");
        }
    }

    [Fact]
    public async Task Each_window_allows_exactly_max_across_replicas_on_a_shared_virtual_clock()
    {
        const int max = 20;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        using var replicas = ReplicaSet.Start(redis,
            $$"""{"version":"1","default":"deny","tools":{"pay":{"rate_limit":{"max":{{max}},"window":60,"per":"global"} } } }""", Replicas, store => store.Clock = RedisClock.Client, engine => engine.TimeProvider = time);

        for (int window = 0; window < 3; window++)
        {
            var tally = await replicas.RunTogether(Callers, 2, caller => Pay(1, $"session-{caller}"));
            Assert.True(tally[DecisionCodes.Allowed] == max, $"window {window}: allowed {tally[DecisionCodes.Allowed]}, expected {max}: {tally}");
            Assert.Equal(tally.Total - max, tally[DecisionCodes.RateLimited]);
            time.Advance(TimeSpan.FromSeconds(60)); // the whole window has slid past every spend
        }
    }

    [Fact]
    public async Task A_cost_limit_with_decimal_costs_allows_exactly_max_across_three_replicas()
    {
        // 30 × 0.35 is exactly 10.5; in binary floating point it is not, so a store that summed doubles would be off by one.
        using var replicas = ReplicaSet.Start(redis,
            """{"version":"1","default":"deny","tools":{"pay":{"limits":[{"max":10.5,"window":3600,"cost":"args.amount","per":"global"}] } } }""", Replicas);

        var tally = await replicas.RunTogether(Callers, 3, caller => Pay(0.35m, $"session-{caller}"));

        Assert.True(tally[DecisionCodes.Allowed] == 30, $"allowed {tally[DecisionCodes.Allowed]}, expected 30: {tally}");
        Assert.Equal(tally.Total - 30, tally[DecisionCodes.RateLimited]);

        // The counter holds exactly 10.5: nothing more fits, not even a cent, while a zero cost still does.
        Assert.Equal(DecisionCodes.RateLimited, (await replicas[0].EvaluateAsync(Pay(0.01m, "other"), Ct)).Code);
        Assert.Equal(DecisionCodes.Allowed, (await replicas[1].EvaluateAsync(Pay(0m, "other"), Ct)).Code);
    }

    [Fact]
    public async Task A_call_with_two_limits_spends_on_both_or_on_neither_across_replicas()
    {
        // all_tools counts every call (checked first, has room); pay's own cost limit runs out after 10. A store that
        // spent the first limit before finding the second full would fill all_tools with the 134 denied calls.
        using var replicas = ReplicaSet.Start(redis,
            """
            {"version":"1","default":"deny",
             "all_tools":{"limits":[{"max":40,"window":3600,"per":"global"}]},
             "tools":{"pay":{"limits":[{"max":10,"window":3600,"cost":"args.amount","per":"global"}]},"read":{}}}
            """, Replicas);

        var pays = await replicas.RunTogether(Callers, 3, caller => Pay(1, $"session-{caller}"));
        Assert.True(pays[DecisionCodes.Allowed] == 10, $"pay: {pays}");
        Assert.Equal(pays.Total - 10, pays[DecisionCodes.RateLimited]);

        // all_tools holds exactly the 10 allowed pays, so exactly 30 more calls fit, whichever replica takes them.
        var reads = await replicas.RunTogether(Callers, 1, caller => new ToolCall("read") { SessionId = $"session-{caller}" });
        Assert.True(reads[DecisionCodes.Allowed] == 30, $"read: {reads}");
        Assert.Equal(reads.Total - 30, reads[DecisionCodes.RateLimited]);
    }
}
