using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace PolicyEngine.Tests.TestSupport;

/// <summary>Builds evaluators and calls from JSON text, on a fake clock, for short tests.</summary>
internal static class Engine
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Epoch);

    public static PolicyEvaluator For(string policyJson, FakeTimeProvider? clock = null, Action<PolicyEngineOptions>? configure = null)
    {
        var options = new PolicyEngineOptions { TimeProvider = clock ?? Clock() };
        configure?.Invoke(options);
        return new PolicyEvaluator(Policy.Parse(policyJson), options);
    }

    /// <summary>The state of the first limit of <paramref name="policyJson"/>, its counters kept in <paramref name="store"/>.</summary>
    public static PolicyEngine.Limits.LimitState FirstLimit(string policyJson, PolicyEngine.Limits.CounterStore store) =>
        PolicyEngine.Evaluation.EngineSnapshot.Create(Policy.Parse(policyJson), previous: null, store).States[0];

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static ToolCall Call(string tool, string? argumentsJson = null, string? session = null, string? contextJson = null)
    {
        var call = argumentsJson is null ? new ToolCall(tool) : new ToolCall(tool, Json(argumentsJson));
        return call with
        {
            SessionId = session,
            Context = contextJson is null ? null : Json(contextJson).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        };
    }

    /// <summary>A policy with one deny_if condition on <c>t</c>, to probe an operator's three-valued result.</summary>
    public static string Probe(string conditionJson) =>
        "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"t\":{\"deny_if\":[{\"conditions\":[" + conditionJson + "]}]}}}";

    /// <summary>The condition's truth as the engine reports it: denied = true, indeterminate, allowed = false.</summary>
    public static string Truth(string conditionJson, string argumentsJson)
    {
        var d = For(Probe(conditionJson)).Evaluate(Call("t", argumentsJson));
        return d.Code switch
        {
            DecisionCodes.Denied => "T",
            DecisionCodes.Indeterminate => "I",
            DecisionCodes.Allowed => "F",
            _ => d.Code,
        };
    }
}
