using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.Caching.Memory;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Tests.Properties;

/// <summary>
/// Differential testing (issue 6): random (policy, step sequence) pairs run through the engine and through
/// <see cref="ReferenceEvaluator"/>; effect, code, rule, retry-after (±1 ms), shadowed outcome, the policy's
/// own messages and approval results must agree at every step. A disagreement shrinks to a minimal scenario.
/// </summary>
public sealed class DifferentialTests
{
    private const decimal RetryTolerance = 0.001m;
    private const int MaxPending = 3;
    private const int MaxPerSession = 2;
    private const int MaxTracked = 3;

    [Property(MaxTest = 2000, Arbitrary = [typeof(Arbitraries)])]
    public void Engine_and_reference_agree_on_every_step(Scenario scenario)
    {
        var mismatch = FirstMismatch(scenario);
        Assert.True(mismatch is null, mismatch);
    }

    [Property(MaxTest = 700, Arbitrary = [typeof(Arbitraries)])]
    public void Engine_and_reference_agree_on_long_runs_over_few_calls(StatefulScenario scenario)
    {
        var mismatch = FirstMismatch(scenario.Scenario);
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>Runs a scenario through both evaluators; null when they agree, else a description of the first disagreement.</summary>
    public static string? FirstMismatch(Scenario scenario)
    {
        // Small approval caps, the same in both, so that scenarios reach them: a session's oldest request goes, a request
        // over the total is not recorded, and an approval with no room for its grant fails.
        // A small counter cap too, so that calls meet capacity_exceeded and the sweep of idle counters. The engine's own
        // cache would also retire idle counters on its schedule, on the thread pool, so a host cache that never scans by
        // itself takes its place: idle counters then leave only through the sweep at the cap, which the reference models.
        using var cache = new MemoryCache(new MemoryCacheOptions { ExpirationScanFrequency = TimeSpan.FromDays(3650) });
        using var engine = new EngineDriver(scenario.PolicyText, new PolicyEngineOptions
        {
            MaxPendingApprovals = MaxPending,
            MaxPendingApprovalsPerSession = MaxPerSession,
            MaxTrackedLimitKeys = MaxTracked,
            LimitCache = cache,
        });
        var reference = new ReferenceEvaluator(scenario.PolicyText, MaxPending, MaxPerSession, MaxTracked);
        for (var i = 0; i < scenario.Steps.Count; i++)
        {
            var step = scenario.Steps[i];
            var actual = engine.Run(step);
            object? expected = step switch
            {
                CallStep c => reference.Evaluate(c.Call, c.At),
                ApproveStep a => reference.Approve(a.Call, a.At),
                ReloadStep r => Reload(reference, r.PolicyText),
                _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
            };
            var problem = expected is RefDecision e && actual is RefDecision d ? Compare(e, d) : Equals(expected, actual) ? null : "approval result differs";
            if (problem is not null)
            {
                return new StringBuilder()
                    .AppendLine($"step {i}: {problem}")
                    .AppendLine($"  reference: {expected}")
                    .AppendLine($"  engine:    {actual}")
                    .Append(scenario).ToString();
            }
        }

        return null;
    }

    private static object? Reload(ReferenceEvaluator reference, string text)
    {
        reference.Reload(text);
        return null;
    }

    private static string? Compare(RefDecision expected, RefDecision actual)
    {
        // In shadow mode too: the top-level rule, the retry_after and the messages are compared, not only the shadowed outcome.
        if (Problem(expected.Outcome, actual.Outcome, compareRule: true) is { } p) return p;
        if (expected.Shadowed is not null)
        {
            if (actual.Shadowed is null) return "shadowed outcome missing";
            if (Problem(expected.Shadowed, actual.Shadowed, compareRule: true) is { } sp) return "shadowed: " + sp;
        }
        else if (actual.Shadowed is not null)
        {
            return "shadowed outcome the reference does not give";
        }

        if (expected.RetryAfterSeconds is null != actual.RetryAfterSeconds is null ||
            (expected.RetryAfterSeconds is { } a && actual.RetryAfterSeconds is { } b && Math.Abs(a - b) > RetryTolerance))
            return "retry_after differs";
        return null;
    }

    private static string? Problem(RefOutcome e, RefOutcome a, bool compareRule)
    {
        if (e.Effect != a.Effect) return "effect differs";
        if (e.Code != a.Code) return "code differs";
        if (compareRule && !string.Equals(e.Rule, a.Rule, StringComparison.Ordinal)) return "rule differs";
        // Only the policy's own messages are specified; the engine's sentences are its own.
        if (e.Message is not null && !string.Equals(e.Message, a.Message, StringComparison.Ordinal)) return "message differs";

        // Where the reference has none, the engine may add its own sentence but never one of the policy's messages.
        if (e.Message is null && a.Message is not null && PolicyGenerators.PolicyMessages.Contains(a.Message, StringComparer.Ordinal))
            return "the engine adds a policy message the reference does not give";

        // §7: an indeterminate decision carries the engine's sentence, never the rule's message.
        if (e.Code == "indeterminate" && (a.Message is null || PolicyGenerators.PolicyMessages.Contains(a.Message, StringComparer.Ordinal)))
            return "an indeterminate decision carries the policy's message";
        return null;
    }
}
