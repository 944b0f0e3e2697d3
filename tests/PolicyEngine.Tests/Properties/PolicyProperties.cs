using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Tests.Properties;

/// <summary>
/// Cedar-style properties of the language (issue 6), over random valid policies and random calls.
/// Stateless properties use a fresh evaluator per evaluation, so limits and approvals cannot interfere.
/// </summary>
public sealed class PolicyProperties
{
    private static readonly string[] MonotonicAdditions = ["deny_if", "require", "hide"];

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void DefaultDeny_a_call_no_entry_matches_is_denied(PolicyAndCall pc)
    {
        var policy = JsonNode.Parse(pc.PolicyText)!.AsObject();
        policy["default"] = "deny";
        policy.Remove("mode");
        if (policy["tools"] is JsonObject tools)
        {
            foreach (var key in tools.Select(p => p.Key).Where(k => ReferenceEvaluator.GlobMatches(k, pc.Call.Tool)).ToList()) tools.Remove(key);
        }

        var d = Decide(policy.ToJsonString(), pc.Call);
        Assert.Equal(PolicyEffect.Deny, d.Effect);
        Assert.Contains(d.Code, new[] { DecisionCodes.DefaultDeny, DecisionCodes.Hidden, DecisionCodes.InvalidCall });
    }

    [Property(MaxTest = 400, Arbitrary = [typeof(Arbitraries)])]
    public Property DenyWins_adding_a_deny_if_require_or_hide_never_relaxes(PolicyAndCall pc, int which, int seed)
    {
        var kind = MonotonicAdditions[Math.Abs(which % MonotonicAdditions.Length)];
        var stricter = AddRestriction(pc.PolicyText, kind, seed, pc.Call.Tool);
        var before = Decide(pc.PolicyText, pc.Call).Effect;
        var after = Decide(stricter, pc.Call).Effect;
        // Adding can only move allow → require_approval → deny; removing (read the pair backwards) only the other way.
        return (Rank(after) >= Rank(before)).Label($"{kind}: {before} became {after}\nstricter: {stricter}");
    }

    /// <summary>
    /// The two properties above pass trivially on a call that no entry matched (DefaultDeny removes nothing) or that was
    /// denied already (DenyWins cannot tighten it). Over a fixed sample of what their generator makes, a fair share must be
    /// interesting: a matching entry really removed and the call then denied by default; a call that was not denied, and
    /// a restriction that bites it.
    /// </summary>
    [Fact]
    public void The_monotonicity_properties_reach_interesting_cases()
    {
        var samples = Gen.Sample(Arbitraries.StatelessCalls().Generator, 400, new Rnd(20261205UL, 0x9E3779B97F4A7C15UL), 30);
        int removedThenDefault = 0, notDenied = 0, bitten = 0;
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Length; i++)
        {
            var pc = samples[i];
            var policy = JsonNode.Parse(pc.PolicyText)!.AsObject();
            policy["default"] = "deny";
            policy.Remove("mode");
            int removed = 0;
            if (policy["tools"] is JsonObject tools)
            {
                foreach (var key in tools.Select(p => p.Key).Where(k => ReferenceEvaluator.GlobMatches(k, pc.Call.Tool)).ToList())
                {
                    tools.Remove(key);
                    removed++;
                }
            }

            var code = removed > 0 ? Decide(policy.ToJsonString(), pc.Call).Code : "none removed";
            codes[code] = codes.GetValueOrDefault(code) + 1;
            removedThenDefault += code == DecisionCodes.DefaultDeny ? 1 : 0;
            var before = Decide(pc.PolicyText, pc.Call).Effect;
            if (before == PolicyEffect.Deny)
            {
                continue;
            }

            notDenied++;
            var after = Decide(AddRestriction(pc.PolicyText, MonotonicAdditions[i % MonotonicAdditions.Length], i, pc.Call.Tool), pc.Call).Effect;
            bitten += Rank(after) > Rank(before) ? 1 : 0;
        }

        string shares = $"DefaultDeny: {removedThenDefault} of 400 removed a matching entry and then denied by default "
            + $"({string.Join(", ", codes.Select(c => c.Key + " " + c.Value))}); DenyWins: {notDenied} of 400 not denied to begin with, {bitten} of them bitten";
        Assert.True(removedThenDefault >= 100 && notDenied >= 60 && bitten * 4 >= notDenied, shares);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public Property OrderIndependence_shuffling_and_duplicating_globs_keeps_the_effect(PolicyAndCall pc, int seed)
    {
        var random = new Random(seed);
        var policy = JsonNode.Parse(pc.PolicyText)!.AsObject();
        if (policy["tools"] is not JsonObject tools) return true.ToProperty();
        var entries = tools.Select(p => (p.Key, Value: p.Value!.ToJsonString())).ToList();
        // A glob duplicated under a new glob that matches exactly the same names ("*" → "**").
        var globs = entries.Where(e => e.Key.Contains('*', StringComparison.Ordinal)).ToList();
        if (globs.Count > 0)
        {
            var g = globs[random.Next(globs.Count)];
            entries.Add((g.Key.Replace("*", "**", StringComparison.Ordinal), g.Value));
        }

        var shuffled = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(_ => random.Next())) shuffled[key] = JsonNode.Parse(value);
        policy["tools"] = shuffled;
        var variant = policy.ToJsonString();
        var a = Decide(pc.PolicyText, pc.Call).Effect;
        var b = Decide(variant, pc.Call).Effect;
        return (a == b).Label($"{a} vs {b}\nvariant: {variant}");
    }

    [Property(MaxTest = 400, Arbitrary = [typeof(Arbitraries)])]
    public void Totality_Evaluate_returns_a_decision_for_every_call(HostileCase pc)
    {
        using var engine = new PolicyEvaluator(EngineDriver.Compile(pc.PolicyText));
        ToolCall call;
        try
        {
            call = EngineDriver.ToToolCall(pc.Call);
        }
        catch (JsonException)
        {
            return; // The host could not even build this call.
        }

        var d = engine.Evaluate(call); // must not throw
        Assert.Contains(d.Code, AllCodes);
        Assert.True(d.Code != DecisionCodes.InternalError, $"internal_error for {pc}");
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(Arbitraries)])]
    public void Culture_decisions_are_the_same_under_tr_TR_de_DE_and_invariant((string Policy, RefCall[] Calls) input)
    {
        var baseline = RunUnder(CultureInfo.InvariantCulture, input.Policy, input.Calls);
        Assert.Equal(baseline, RunUnder(new CultureInfo("tr-TR"), input.Policy, input.Calls));
        Assert.Equal(baseline, RunUnder(new CultureInfo("de-DE"), input.Policy, input.Calls));
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(Arbitraries)])]
    public void RoundTrip_reserialised_document_compiles_to_the_same_decisions((string Policy, RefCall[] Calls) input)
    {
        var reserialised = JsonNode.Parse(input.Policy)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Assert.Equal(EngineDriver.Compile(input.Policy).Fingerprint, EngineDriver.Compile(reserialised).Fingerprint);
        Assert.Equal(
            RunUnder(CultureInfo.InvariantCulture, input.Policy, input.Calls),
            RunUnder(CultureInfo.InvariantCulture, reserialised, input.Calls));
    }

    private static readonly string[] AllCodes =
    [
        DecisionCodes.Allowed, DecisionCodes.DefaultAllow, DecisionCodes.Denied, DecisionCodes.DefaultDeny, DecisionCodes.Hidden,
        DecisionCodes.InvalidCall, DecisionCodes.RequirementFailed, DecisionCodes.Indeterminate, DecisionCodes.DefinitionChanged,
        DecisionCodes.ApprovalRequired, DecisionCodes.RateLimited, DecisionCodes.Shadow, DecisionCodes.CapacityExceeded, DecisionCodes.InternalError,
    ];

    private static int Rank(PolicyEffect e) => e switch { PolicyEffect.Allow => 0, PolicyEffect.RequireApproval => 1, _ => 2 };

    private static Decision Decide(string policyText, RefCall call)
    {
        using var engine = new PolicyEvaluator(EngineDriver.Compile(policyText));
        return engine.Evaluate(EngineDriver.ToToolCall(call));
    }

    /// <summary>
    /// Adds one deny_if entry, require item or hide pattern to a random block (or all_tools). Three times in four the block
    /// is one that decides <paramref name="tool"/> (all_tools or an entry whose pattern matches it), and half the hide
    /// patterns are the tool's own name, so that the restriction often bites the call rather than another tool.
    /// </summary>
    private static string AddRestriction(string policyText, string kind, int seed, string? tool)
    {
        var random = new Random(seed);
        var policy = JsonNode.Parse(policyText)!.AsObject();
        var sample = Gen.Sample(kind switch
        {
            "deny_if" => PolicyGenerators.Entry("on_deny").Select(e => (JsonNode)e),
            "require" => PolicyGenerators.RequireItem(),
            _ => Gen.Elements(PolicyGenerators.Patterns.Concat(PolicyGenerators.ToolNames)).Select(p => (JsonNode)JsonValue.Create(p)),
        }, 5, new Rnd((ulong)(uint)seed, 0x9E3779B97F4A7C15UL), 1)[0];
        if (kind == "hide")
        {
            if (tool is { Length: >= 1 and <= 128 } && tool.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/') && random.Next(2) == 0)
            {
                sample = JsonValue.Create(tool);
            }

            var hide = policy["hide"] as JsonArray ?? [];
            hide.Insert(random.Next(hide.Count + 1), sample);
            policy["hide"] = hide;
            return policy.ToJsonString();
        }

        var blocks = new List<JsonObject>();
        if (policy["all_tools"] is JsonObject all) blocks.Add(all);
        if (policy["tools"] is JsonObject tools)
        {
            bool aimed = tool is not null && random.Next(4) != 0;
            blocks.AddRange(tools.Where(p => !aimed || ReferenceEvaluator.GlobMatches(p.Key, tool!)).Select(p => (JsonObject)p.Value!));
        }

        if (blocks.Count == 0)
        {
            policy["all_tools"] = new JsonObject();
            blocks.Add((JsonObject)policy["all_tools"]!);
        }

        var block = blocks[random.Next(blocks.Count)];
        var list = block[kind] as JsonArray ?? [];
        list.Insert(random.Next(list.Count + 1), sample);
        block[kind] = list;
        return policy.ToJsonString();
    }

    private static List<string> RunUnder(CultureInfo culture, string policyText, RefCall[] calls)
    {
        var (savedCulture, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            using var driver = new EngineDriver(policyText);
            return calls.Select((c, i) => (RefDecision)driver.Run(new CallStep(i, c))!).Select(d => $"{d} | {d.Outcome.Message} | {d.Shadowed?.Message}").ToList();
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }
}
