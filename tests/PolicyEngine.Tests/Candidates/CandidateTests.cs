using System.Diagnostics.Metrics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.Properties;
using PolicyEngine.Tests.Reference;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Candidates;

/// <summary>A stateful scenario and a candidate policy to run beside its policy.</summary>
public sealed record CandidateScenario(Scenario Scenario, string Candidate)
{
    public override string ToString() => Scenario + "\ncandidate: " + Candidate;
}

/// <summary>The generator of <see cref="CandidateScenario"/>: the candidate is another random policy, or the same one.</summary>
public static class CandidateArbitraries
{
    public static Arbitrary<CandidateScenario> Scenarios() =>
        Arb.From(
            from s in CallGenerators.Stateful()
            from candidate in Gen.Frequency((1, Gen.Constant(s.Scenario.PolicyText)), (3, PolicyGenerators.Policy(new PolicyShape())))
            select new CandidateScenario(s.Scenario, candidate));
}

/// <summary>Candidate policies in shadow: they never change what is enforced, and their disagreements are reported.</summary>
[Collection(nameof(CandidateTests))] // the metric listener sees the process-wide meter
public sealed class CandidateTests
{
    private const string Enforced = """{"version": "1", "default": "deny", "tools": {"search": {"rate_limit": {"max": 2, "window": 60}}, "pay": {"action": "require_approval"}}}""";
    private const string Stricter = """{"version": "1", "default": "deny", "tools": {"search": {"rate_limit": {"max": 1, "window": 60}}, "pay": {"action": "require_approval"}}}""";

    [Property(MaxTest = 150, Arbitrary = [typeof(CandidateArbitraries)])]
    public Property A_candidate_never_changes_the_enforced_decisions(CandidateScenario s)
    {
        // Both evaluators share a limit cache with the candidate's would-be counters: the candidate must not use it.
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var plain = new EngineDriver(s.Scenario.PolicyText);
        using var shadowed = new EngineDriver(s.Scenario.PolicyText, new PolicyEngineOptions { LimitCache = cache });
        shadowed.Engine.SetCandidate(EngineDriver.Compile(s.Candidate));
        for (var i = 0; i < s.Scenario.Steps.Count; i++)
        {
            var expected = plain.Run(s.Scenario.Steps[i]);
            var actual = shadowed.Run(s.Scenario.Steps[i]);
            if (!Equals(expected, actual))
            {
                return false.Label($"step {i}: without candidate {expected}, with it {actual}");
            }
        }

        return (shadowed.Engine.Candidate!.Calls > 0 || !s.Scenario.Steps.Any(st => st is CallStep)).Label("the candidate decided no call");
    }

    [Fact]
    public void Disagreements_are_counted_raised_measured_and_logged()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var evaluator = new PolicyEvaluator(Policy.Parse(Enforced), new PolicyEngineOptions { TimeProvider = clock });
        using var log = new StringWriter();
        using var logger = new PolicyDecisionLogger(log);
        var candidate = evaluator.SetCandidate(Policy.Parse(Stricter));
        candidate.DecisionLogger = logger;
        var events = new List<CandidateDisagreementEventArgs>();
        candidate.Disagreed += (_, e) => events.Add(e);
        var measured = new List<(long, string?, string?)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == PolicyEngineDiagnostics.CandidateDisagreementsCounter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            measured.Add((value, Tag(tags, "enforced_code"), Tag(tags, "candidate_code"))));
        listener.Start();

        var search = new ToolCall("search") { SessionId = "s1" };
        Assert.Equal(DecisionCodes.Allowed, evaluator.Evaluate(search).Code);
        Assert.Equal(DecisionCodes.Allowed, evaluator.Evaluate(search).Code); // the candidate would have rate limited it
        Assert.Equal(DecisionCodes.RateLimited, evaluator.Evaluate(search).Code);

        Assert.Equal((3L, 1L), (candidate.Calls, candidate.Disagreements));
        var e = Assert.Single(events);
        Assert.Equal(("search", "s1", DecisionCodes.Allowed, DecisionCodes.RateLimited), (e.Tool, e.SessionId, e.Enforced.Code, e.Candidate.Code));
        Assert.Contains((1L, DecisionCodes.Allowed, DecisionCodes.RateLimited), measured);
        using var line = JsonDocument.Parse(log.ToString());
        Assert.Equal("candidate_disagreement", line.RootElement.GetProperty("event").GetString());
        Assert.Equal("allowed", line.RootElement.GetProperty("enforced").GetProperty("code").GetString());
        Assert.Equal("/tools/search/rate_limit", line.RootElement.GetProperty("candidate").GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Decisions_that_wait_for_a_shared_store_are_observed_too()
    {
        // The store answers later, on another thread: EvaluateAsync's decision comes from an awaited store, and the
        // candidate still sees it (the path that skips observing applies only when no candidate is set).
        var store = new ControlledStore { Slow = true };
        using var evaluator = new PolicyEvaluator(Policy.Parse(Enforced), new PolicyEngineOptions { StateStore = store });
        var candidate = evaluator.SetCandidate(Policy.Parse(Stricter));
        var search = new ToolCall("search") { SessionId = "s1" };
        var token = TestContext.Current.CancellationToken;
        Assert.Equal(DecisionCodes.Allowed, (await evaluator.EvaluateAsync(search, token)).Code);
        Assert.Equal(DecisionCodes.Allowed, (await evaluator.EvaluateAsync(search, token)).Code); // the candidate: rate limited
        Assert.Equal(2, store.Acquires);
        Assert.Equal((2L, 1L), (candidate.Calls, candidate.Disagreements));
    }

    [Fact]
    public void An_approval_given_under_the_enforced_policy_is_mirrored_to_the_candidate()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse(Enforced));
        var candidate = evaluator.SetCandidate(Policy.Parse(Stricter));
        var pay = new ToolCall("pay", JsonDocument.Parse("""{"amount": 5}""").RootElement) { SessionId = "s1" };
        var asked = evaluator.Evaluate(pay);
        Assert.True(evaluator.Approve(asked.ApprovalId!));
        Assert.Equal(DecisionCodes.Allowed, evaluator.Evaluate(pay).Code);
        Assert.Equal((2L, 0L), (candidate.Calls, candidate.Disagreements));
    }

    [Fact]
    public void A_faulting_handler_or_log_never_reaches_the_enforced_decision()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse(Enforced));
        var candidate = evaluator.SetCandidate(Policy.Parse("""{"version": "1", "default": "allow"}"""));
        candidate.Disagreed += (_, _) => throw new InvalidOperationException("handler fault");
        candidate.DecisionLogger = new PolicyDecisionLogger(new FailingWriter());
        Assert.Equal(DecisionCodes.DefaultDeny, evaluator.Evaluate(new ToolCall("other")).Code);
        Assert.Equal(1L, candidate.Disagreements);
    }

    [Fact]
    public void Clearing_or_replacing_the_candidate_stops_it()
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse(Enforced));
        var first = evaluator.SetCandidate(Policy.Parse(Stricter));
        var second = evaluator.SetCandidate(Policy.Parse(Enforced));
        evaluator.Evaluate(new ToolCall("search"));
        Assert.Equal((0L, 1L), (first.Calls, second.Calls));
        evaluator.ClearCandidate();
        Assert.Null(evaluator.Candidate);
        evaluator.Evaluate(new ToolCall("search"));
        Assert.Equal(1L, second.Calls);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private sealed class FailingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("disk full");
    }
}
