using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Replay;

namespace PolicyEngine.Tests.Replay;

/// <summary>Replaying a decision log that PolicyDecisionLogger wrote, under the same and under changed policies.</summary>
public sealed class ReplayTests
{
    private const string Policy1 = """
        {"version": "1", "default": "deny", "tools": {
          "search": {"rate_limit": {"max": 2, "window": 60}},
          "pay": {"approve_if": [{"conditions": [{"path": "args.amount", "op": "gt", "value": 100}]}]},
          "read": {}}}
        """;

    /// <summary>A log of calls decided under <paramref name="policy"/>, with the approval the person gave.</summary>
    internal static List<LogRecord> Log(string policy, bool includeArguments = true, IReadOnlyDictionary<string, JsonElement>? context = null, JsonElement definition = default)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var evaluator = new PolicyEvaluator(Policy.Parse(policy), new PolicyEngineOptions { TimeProvider = clock });
        using var text = new StringWriter();
        using (var logger = new PolicyDecisionLogger(text, includeArguments))
        {
            void Call(string tool, string arguments = "{}")
            {
                var call = new ToolCall(tool, JsonDocument.Parse(arguments).RootElement) { SessionId = "s1", Context = context, Definition = definition };
                logger.Log(call, evaluator.Evaluate(call), clock.GetUtcNow());
                clock.Advance(TimeSpan.FromSeconds(10));
            }

            Call("search");
            Call("search");
            Call("search"); // rate limited
            Call("read");
            Call("pay", """{"amount": 500}""");
            evaluator.Approve(evaluator.GetApprovalId(new ToolCall("pay", JsonDocument.Parse("""{"amount": 500}""").RootElement) { SessionId = "s1", Context = context, Definition = definition })!);
            Call("pay", """{"amount": 500}"""); // allowed once approved
            Call("delete");
        }

        return LogRecord.ReadAll(new StringReader(text.ToString()));
    }

    [Fact]
    public void The_same_policy_changes_nothing_with_limits_and_approvals_built_up_in_order()
    {
        var records = Log(Policy1);
        Assert.Equal(["allowed", "allowed", "rate_limited", "allowed", "approval_required", "allowed", "default_deny"], records.Select(r => r.Code));
        var result = Replayer.Run(Policy.Parse(Policy1), records);
        Assert.Empty(result.Changes);
        Assert.Equal(7, result.Calls);
        Assert.Equal((4, 4), result.Codes["allowed"]);
    }

    [Fact]
    public void A_changed_policy_reports_each_changed_call_and_counts_codes()
    {
        var stricter = Policy1.Replace("\"max\": 2", "\"max\": 1", StringComparison.Ordinal).Replace("\"read\": {}", "\"read\": {\"action\": \"deny\"}", StringComparison.Ordinal);
        var result = Replayer.Run(Policy.Parse(stricter), Log(Policy1));
        Assert.Equal(
            [(2, "rate_limited", "/tools/search/rate_limit"), (4, "denied", "/tools/read/action")],
            result.Changes.Select(c => (c.Record.Line, c.Code, c.Rule)));
        Assert.Equal("allowed", result.Changes[0].Record.Code);
        Assert.Equal((4, 2), result.Codes["allowed"]);
        Assert.Equal((0, 1), result.Codes["denied"]);
        Assert.Equal((1, 2), result.Codes["rate_limited"]);
    }

    [Fact]
    public void A_log_without_arguments_replays_only_a_policy_that_does_not_read_them()
    {
        var records = Log(Policy1, includeArguments: false);
        Assert.StartsWith("the policy reads the arguments (/tools/pay/approve_if/0/conditions/0/path), but line 1 of the log has none",
            Replayer.CannotReplay(PolicyReads.Of(System.Text.Encoding.UTF8.GetBytes(Policy1)), records), StringComparison.Ordinal);
        const string noArgs = """{"version": "1", "default": "deny", "tools": {"search": {"rate_limit": {"max": 2, "window": 60}}, "read": {}}}""";
        Assert.Null(Replayer.CannotReplay(PolicyReads.Of(System.Text.Encoding.UTF8.GetBytes(noArgs)), records));
        var result = Replayer.Run(Policy.Parse(noArgs), records);
        Assert.Equal(["default_deny", "default_deny"], result.Changes.Select(c => c.Code)); // pay is no longer listed
    }

    [Fact]
    public void Context_and_definition_pins_are_logged_and_replayed()
    {
        var definition = JsonDocument.Parse("""{"name": "search", "description": "Finds.", "inputSchema": {"type": "object"}}""").RootElement;
        var context = new Dictionary<string, JsonElement> { ["user"] = JsonDocument.Parse("\"ann\"").RootElement };
        var records = Log(Policy1, context: context, definition: definition);
        Assert.Equal("""{"user":"ann"}""", records[0].Context!.Value.GetRawText());
        Assert.Equal(ToolPin.Compute(definition), records[0].DefinitionPin);

        var pin = ToolPin.Compute(definition);
        var pinned = "{\"version\": \"1\", \"default\": \"deny\", \"all_tools\": {\"limits\": [{\"max\": 1, \"window\": 60, \"per\": \"context.user\"}]}, \"tools\": {\"*\": {\"pin\": \"" + pin + "\"}}}";
        Assert.Null(Replayer.CannotReplay(PolicyReads.Of(System.Text.Encoding.UTF8.GetBytes(pinned)), records));
        var result = Replayer.Run(Policy.Parse(pinned), records);
        // One call per user and minute (calls are 10 s apart): the pin passed every time, and the context was read.
        Assert.Equal([("allowed", 2), ("rate_limited", 5)], result.Codes.Where(c => c.Value.New > 0).Select(c => (c.Key, c.Value.New)));
    }

    [Fact]
    public void A_policy_reading_context_needs_a_log_with_context()
    {
        var records = Log(Policy1, includeArguments: false);
        var reads = PolicyReads.Of("""{"version": "1", "default": "allow", "all_tools": {"limits": [{"max": 1, "window": 60, "per": "context.user"}]}}"""u8);
        Assert.Equal("/all_tools/limits/0/per", reads.Context);
        Assert.Contains("reads the context", Replayer.CannotReplay(reads, records), StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidates_disagreement_lines_are_not_calls()
    {
        using var text = new StringWriter();
        using (var logger = new PolicyDecisionLogger(text, includeArguments: true))
        {
            var call = new ToolCall("search") { SessionId = "s1" };
            using var evaluator = new PolicyEvaluator(Policy.Parse(Policy1));
            var decision = evaluator.Evaluate(call);
            logger.Log(call, decision, DateTimeOffset.UnixEpoch);
            logger.LogDisagreement(call, decision, evaluator.Evaluate(new ToolCall("delete")), DateTimeOffset.UnixEpoch);
        }

        Assert.Contains("\"event\":\"candidate_disagreement\"", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(["search"], LogRecord.ReadAll(new StringReader(text.ToString())).Select(r => r.Tool));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "session": "s", "tool": "t", "effect": "allow"}""")]
    [InlineData("""{"time": "yesterday", "session": "s", "tool": "t", "effect": "allow", "code": "allowed"}""")]
    public void A_line_that_is_not_a_record_is_reported_by_number(string line)
    {
        var e = Assert.Throws<InvalidDataException>(() => LogRecord.ReadAll(new StringReader("\n" + line + "\n")));
        Assert.StartsWith("line 2: not a decision record", e.Message, StringComparison.Ordinal);
    }
}
