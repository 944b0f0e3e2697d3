using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// Model-based: random sequences of (time step, session, tool, cost) against a reference model that keeps
/// a plain list of (time, amount) per counter, evaluated straight from spec §4 and §7 step 6.
/// </summary>
public class LimitModelTests
{
    public sealed record Step(int DelayMs, int Session, bool ToolA, int? Cost);

    public sealed record Scenario(int CountMax, int CountWindowMs, int CostMax, int CostWindowMs, bool GlobalCost, List<Step> Steps);

    private static readonly Gen<Step> StepGen =
        from delay in Gen.Frequency((3, Gen.Constant(0)), (6, Gen.Choose(1, 1500)), (1, Gen.Choose(1500, 12_000)))
        from session in Gen.Choose(0, 2)
        from toolA in Gen.Elements(true, false)
        from cost in Gen.Frequency((8, Gen.Choose(0, 6).Select(c => (int?)c)), (1, Gen.Constant((int?)null)))
        select new Step(delay, session, toolA, cost);

    private static readonly Arbitrary<Scenario> Scenarios =
        (from countMax in Gen.Choose(1, 6)
         from countWindow in Gen.Choose(1, 8).Select(s => s * 500)
         from costMax in Gen.Choose(1, 15)
         from costWindow in Gen.Choose(1, 8).Select(s => s * 700)
         from global in Gen.Elements(true, false)
         from steps in Gen.ListOf(StepGen).Select(l => l.ToList())
         select new Scenario(countMax, countWindow, costMax, costWindow, global, steps)).ToArbitrary();

    [Fact]
    public void Exact_limits_match_the_reference_model_decision_by_decision() =>
        Prop.ForAll(Scenarios, scenario => RunAgainstModel(scenario) is null)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(60));

    [Fact]
    public void A_known_sequence_matches_the_model() =>
        Assert.Null(RunAgainstModel(new Scenario(2, 1000, 5, 2000, false,
            [new(0, 0, true, 3), new(100, 0, true, 3), new(0, 0, false, null), new(900, 0, false, null), new(0, 0, true, 1), new(1500, 0, true, 6)])));

    /// <summary>Runs the scenario through the engine and the model; returns the first disagreement.</summary>
    private static string? RunAgainstModel(Scenario s)
    {
        var clock = Engine.Clock();
        string costPer = s.GlobalCost ? ",\"per\":\"global\"" : "";
        string policy = $$$"""
        {"version":"1","default":"deny",
         "all_tools":{"limits":[{"max":{{{s.CountMax}}},"window":"{{{s.CountWindowMs}}}ms"}]},
         "tools":{"a":{"limits":[{"max":{{{s.CostMax}}},"window":"{{{s.CostWindowMs}}}ms","cost":"args.c"{{{costPer}}} }]},"b":{} } }
        """;
        using var ev = Engine.For(policy, clock);
        var model = new Model();
        long now = 0;
        for (int i = 0; i < s.Steps.Count; i++)
        {
            var step = s.Steps[i];
            clock.Advance(TimeSpan.FromMilliseconds(step.DelayMs));
            now += TimeSpan.FromMilliseconds(step.DelayMs).Ticks;
            string session = "s" + step.Session;
            string args = step.Cost is { } c ? $$"""{"c":{{c}}}""" : "{}";
            var decision = ev.Evaluate(Engine.Call(step.ToolA ? "a" : "b", args, session));

            var limits = new List<(string Rule, string Key, decimal Max, long Window, decimal? Cost)>
            {
                ("/all_tools/limits/0", "count|" + session, s.CountMax, TimeSpan.FromMilliseconds(s.CountWindowMs).Ticks, 1m),
            };
            if (step.ToolA)
            {
                limits.Add(("/tools/a/limits/0", "cost|" + (s.GlobalCost ? "" : session), s.CostMax, TimeSpan.FromMilliseconds(s.CostWindowMs).Ticks, step.Cost));
            }

            var (code, rule, retry) = model.Decide(now, limits, step.ToolA ? "/tools/a" : "/tools/b");
            long? engineRetry = decision.RetryAfter?.Ticks;
            if (decision.Code != code || decision.Rule != rule || engineRetry != retry)
            {
                return $"step {i} {step}: engine {decision.Code} {decision.Rule} {engineRetry}, model {code} {rule} {retry}";
            }
        }

        return null;
    }

    private sealed class Model
    {
        private readonly Dictionary<string, List<(long T, decimal Amount)>> _spent = [];

        public (string Code, string Rule, long? Retry) Decide(long now, List<(string Rule, string Key, decimal Max, long Window, decimal? Cost)> limits, string allowRule)
        {
            foreach (var l in limits)
            {
                if (l.Cost is null)
                {
                    return (DecisionCodes.Indeterminate, l.Rule, null);
                }
            }

            string? firstRule = null;
            long? longest = 0;
            foreach (var l in limits)
            {
                var entries = Entries(l.Key).Where(e => e.T > now - l.Window).ToList();
                decimal sum = entries.Sum(e => e.Amount);
                if (sum + l.Cost!.Value <= l.Max)
                {
                    continue;
                }

                firstRule ??= l.Rule;
                long? wait = null;
                if (l.Cost.Value <= l.Max)
                {
                    decimal excess = sum + l.Cost.Value - l.Max;
                    foreach (var e in entries)
                    {
                        excess -= e.Amount;
                        if (excess <= 0)
                        {
                            wait = e.T + l.Window - now;
                            break;
                        }
                    }
                }

                longest = wait is null || longest is null ? null : Math.Max(longest.Value, wait.Value);
            }

            if (firstRule is not null)
            {
                return (DecisionCodes.RateLimited, firstRule, longest);
            }

            foreach (var l in limits)
            {
                Entries(l.Key).Add((now, l.Cost!.Value));
            }

            return (DecisionCodes.Allowed, allowRule, null);
        }

        private List<(long T, decimal Amount)> Entries(string key) =>
            _spent.TryGetValue(key, out var list) ? list : _spent[key] = [];
    }
}
