using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// The baseline for <c>FiveConditions</c>: what a plain implementation does when it keeps the policy as a
/// <see cref="JsonDocument"/> and walks it on every call — look the tool up by name, read each <c>deny_if</c>
/// entry, split each path, read strings with <see cref="JsonElement.GetString"/>, numbers as decimals, and
/// match regexes through <see cref="Regex.IsMatch(string, string, RegexOptions)"/> (which caches the compiled
/// pattern). Only what the benchmark's policy uses: leaves with <c>args.</c> paths, <c>default</c>, <c>deny_if</c>.
/// Not the engine's semantics in full (no three-valued logic, no numeric strings); it is a cost baseline.
/// </summary>
internal sealed class NaivePolicyInterpreter(JsonDocument policy)
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private readonly JsonElement _root = policy.RootElement;

    public string Evaluate(string tool, JsonElement arguments)
    {
        if (!_root.TryGetProperty("tools", out var tools) || !tools.TryGetProperty(tool, out var entry))
        {
            return _root.GetProperty("default").GetString() == "allow" ? DecisionCodes.DefaultAllow : DecisionCodes.DefaultDeny;
        }

        if (entry.TryGetProperty("deny_if", out var denyIf))
        {
            foreach (var rule in denyIf.EnumerateArray())
            {
                if (AllHold(rule.GetProperty("conditions"), arguments))
                {
                    return DecisionCodes.Denied;
                }
            }
        }

        return DecisionCodes.Allowed;
    }

    private static bool AllHold(JsonElement conditions, JsonElement arguments)
    {
        foreach (var condition in conditions.EnumerateArray())
        {
            if (!Holds(condition, arguments))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(JsonElement condition, JsonElement arguments)
    {
        if (!TryResolve(condition.GetProperty("path").GetString()!, arguments, out var actual))
        {
            return false;
        }

        var expected = condition.GetProperty("value");
        return condition.GetProperty("op").GetString() switch
        {
            "eq" => JsonEquals(actual, expected),
            "neq" => !JsonEquals(actual, expected),
            "in" => expected.EnumerateArray().Any(item => JsonEquals(actual, item)),
            "gt" => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() > expected.GetDecimal(),
            "gte" => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() >= expected.GetDecimal(),
            "lt" => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() < expected.GetDecimal(),
            "lte" => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() <= expected.GetDecimal(),
            "starts_with" => actual.ValueKind == JsonValueKind.String
                && actual.GetString()!.StartsWith(expected.GetString()!, StringComparison.Ordinal),
            "regex" => actual.ValueKind == JsonValueKind.String
                && Regex.IsMatch(actual.GetString()!, expected.GetString()!, Options),
            var op => throw new NotSupportedException($"The baseline does not interpret '{op}'."),
        };
    }

    /// <summary>Resolves <c>args.a.b</c> by splitting the path, as plain code does.</summary>
    private static bool TryResolve(string path, JsonElement arguments, out JsonElement value)
    {
        var segments = path.Split('.');
        value = arguments;
        if (segments[0] != "args")
        {
            throw new NotSupportedException($"The baseline reads only args paths, not '{path}'.");
        }

        for (var i = 1; i < segments.Length; i++)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segments[i], out value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool JsonEquals(JsonElement left, JsonElement right) =>
        (left.ValueKind, right.ValueKind) switch
        {
            (JsonValueKind.String, JsonValueKind.String) => left.GetString() == right.GetString(),
            (JsonValueKind.Number, JsonValueKind.Number) => left.GetDecimal() == right.GetDecimal(),
            _ => left.ValueKind == right.ValueKind && left.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
        };
}
