using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.DecisionTree.Conditions;

namespace PolicyEngine.Tests.DecisionTree.Conditions;

/// <summary>
/// The contract every way a string value reaches the engine must keep (modelled on System.Threading.RateLimiting's
/// <c>BaseRateLimiterTests</c>): for every string operator, with and without <c>ignore_case</c>, over values chosen for
/// case folding (Turkish İ and ı, the Kelvin sign, ß), surrogate pairs and the empty string, the decision is the one
/// <see cref="TextMeaning"/> (and .NET's regex, for <c>regex</c>) defines. Each derived class is one path: raw UTF-8 in
/// place, escaped JSON (decoded to UTF-16), a dictionary of arguments, a nested path.
/// </summary>
public abstract class StringOperatorContract
{
    private static readonly string[] Values = ["abc", "ABC", "xabcx", "", "İstanbul", "istanbul", "ISTANBUL", "ıI", "straße", "STRASSE", "\u212Aelvin", "kelvin", "😀abc", "a😀", "5", "05"];
    private static readonly string[] Literals = ["abc", "ABC", "", "i", "İ", "k", "ß", "😀", "5"];
    private static readonly string[] Ops = ["eq", "neq", "in", "not_in", "starts_with", "ends_with", "contains", "regex"];

    /// <summary>The call that carries <paramref name="value"/> as the argument the policy's path reads.</summary>
    protected abstract ToolCall CallWith(string value);

    /// <summary>The path the conditions read.</summary>
    protected virtual string Path => "args.v";

    protected static string RawJson(string value) =>
        JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    protected static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static bool Meaning(string op, string literal, string value, bool ignoreCase)
    {
        var comparison = TextMeaning.Comparison(ignoreCase);
        return op switch
        {
            "eq" => TextMeaning.Equal(value, literal, comparison),
            "neq" => !TextMeaning.Equal(value, literal, comparison),
            "in" => TextMeaning.Equal(value, literal, comparison) || TextMeaning.Equal(value, "zzz", comparison),
            "not_in" => !(TextMeaning.Equal(value, literal, comparison) || TextMeaning.Equal(value, "zzz", comparison)),
            "starts_with" => TextMeaning.StartsWith(value, literal, comparison),
            "ends_with" => TextMeaning.EndsWith(value, literal, comparison),
            "contains" => TextMeaning.Contains(value, literal, comparison),
            _ => new Regex(Pattern(literal), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0)).IsMatch(value),
        };
    }

    /// <summary>A plain-words alternation, the shape the engine searches for in place without the regex engine.</summary>
    private static string Pattern(string literal) => literal.Length == 0 ? "zzz|yyy" : Regex.Escape(literal) + "|zzz";

    private static string Policy(string op, string literal, bool ignoreCase, string path)
    {
        string value = op switch
        {
            "in" or "not_in" => "[" + RawJson(literal) + ",\"zzz\"]",
            "regex" => RawJson(Pattern(literal)),
            _ => RawJson(literal),
        };
        return "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"t\":{\"deny_if\":[{\"conditions\":[{\"path\":\"" + path + "\",\"op\":\"" + op
            + "\",\"value\":" + value + (ignoreCase ? ",\"ignore_case\":true" : "") + "}]}]}}}";
    }

    [Fact]
    public void Every_string_operator_keeps_its_one_meaning()
    {
        var mismatches = new List<string>();
        int checkedCount = 0;
        foreach (var op in Ops)
        {
            foreach (var literal in Literals)
            {
                foreach (bool ignoreCase in new[] { false, true })
                {
                    if (op is "regex" && literal.Length > 0 && literal.Any(char.IsSurrogate))
                    {
                        continue; // a pattern is one code point per unit in .NET and in the engine alike; kept out of the words path's contract
                    }

                    using var engine = new PolicyEvaluator(PolicyEngine.Policy.Parse(Policy(op, literal, ignoreCase, Path)));
                    foreach (var value in Values)
                    {
                        bool expected = Meaning(op, literal, value, ignoreCase);
                        var decision = engine.Evaluate(CallWith(value));
                        string want = expected ? DecisionCodes.Denied : DecisionCodes.Allowed;
                        checkedCount++;
                        if (decision.Code != want)
                        {
                            mismatches.Add($"{op} {RawJson(literal)} ignore_case={ignoreCase} on {RawJson(value)}: {decision.Code}, want {want}");
                        }
                    }
                }
            }
        }

        Assert.True(checkedCount > 2000, $"only {checkedCount} checks");
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches.Take(30)));
    }
}

/// <summary>The value as raw UTF-8 in the arguments' JSON text, with no escape: the in-place paths.</summary>
public sealed class RawUtf8StringOperatorTests : StringOperatorContract
{
    protected override ToolCall CallWith(string value) => new("t", Parse("{\"v\":" + RawJson(value) + "}"));
}

/// <summary>Every character of the value escaped (<c>\uXXXX</c>): decoded to UTF-16 before it is compared.</summary>
public sealed class EscapedStringOperatorTests : StringOperatorContract
{
    protected override ToolCall CallWith(string value)
    {
        var escaped = new StringBuilder("{\"v\":\"");
        foreach (char c in value)
        {
            escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return new("t", Parse(escaped.Append("\"}").ToString()));
    }
}

/// <summary>The arguments as a dictionary of elements, as hosts that build calls in code pass them.</summary>
public sealed class DictionaryStringOperatorTests : StringOperatorContract
{
    protected override ToolCall CallWith(string value) =>
        new("t", new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["v"] = Parse(RawJson(value)) });
}

/// <summary>The value one object down (<c>args.o.v</c>), reached through the path's segments rather than the top-level slots.</summary>
public sealed class NestedStringOperatorTests : StringOperatorContract
{
    protected override string Path => "args.o.v";

    protected override ToolCall CallWith(string value) => new("t", Parse("{\"o\":{\"v\":" + RawJson(value) + "}}"));
}
