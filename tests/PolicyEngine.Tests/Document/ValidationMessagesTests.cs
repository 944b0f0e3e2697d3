using System.Globalization;
using PolicyEngine.Compilation;
using PolicyEngine.DecisionTree;
using PolicyEngine.Document;
using PolicyEngine.Json;

namespace PolicyEngine.Tests.Document;

/// <summary>
/// The numbers that validation messages name are the bounds their checks enforce: each check passes at its constant,
/// fails just past it, and the failure's message names that constant (so changing the constant changes the message).
/// </summary>
public sealed class ValidationMessagesTests
{
    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Policy(string toolName, string condition) =>
        """{"version": "1", "default": "deny", "tools": {""" + $"\"{toolName}\"" + """: {"deny_if": [{"conditions": [""" + condition + "]}]}}}";

    private static string Leaf(string path, string op, string value) => $$"""{"path": "{{path}}", "op": "{{op}}", "value": {{value}}}""";

    private static string Only(string json)
    {
        Assert.False(global::PolicyEngine.Policy.TryParse(json, out _, out var errors));
        return Assert.Single(errors).Message;
    }

    private static void Valid(string json) =>
        Assert.True(global::PolicyEngine.Policy.TryParse(json, out _, out var errors), string.Join("; ", errors));

    [Fact]
    public void A_path_may_be_as_long_as_PathParser_MaxLength_and_the_message_names_it()
    {
        string Path(int length) => "args." + new string('a', length - "args.".Length);
        Valid(Policy("t", Leaf(Path(PathParser.MaxLength), "eq", "1")));
        var message = Only(Policy("t", Leaf(Path(PathParser.MaxLength + 1), "eq", "1")));
        Assert.Equal(ValidationMessages.InvalidPath(Path(PathParser.MaxLength + 1), ValidationMessages.PathLength(PathParser.MaxLength)), message);
        Assert.Contains($"1 to {PathParser.MaxLength} characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_may_have_PathParser_MaxSegments_segments_and_the_message_names_it()
    {
        string Path(int segments) => "args" + string.Concat(Enumerable.Repeat(".a", segments));
        Valid(Policy("t", Leaf(Path(PathParser.MaxSegments), "eq", "1")));
        var message = Only(Policy("t", Leaf(Path(PathParser.MaxSegments + 1), "eq", "1")));
        Assert.EndsWith(ValidationMessages.PathSegments(PathParser.MaxSegments), message, StringComparison.Ordinal);
        Assert.Contains($"at most {PathParser.MaxSegments} segments", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_pattern_may_be_ToolNames_MaxLength_long_and_the_message_names_it()
    {
        Valid(Policy(new string('t', ToolNames.MaxLength), Leaf("args.a", "eq", "1")));
        var tooLong = new string('t', ToolNames.MaxLength + 1);
        var message = Only(Policy(tooLong, Leaf("args.a", "eq", "1")));
        Assert.Equal(ValidationMessages.InvalidToolPattern(tooLong, ToolNames.MaxLength), message);
        Assert.Contains($"1 to {ToolNames.MaxLength} characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regex_may_be_ConditionCompiler_MaxRegexLength_long_and_the_message_names_it()
    {
        Valid(Policy("t", Leaf("args.a", "regex", $"\"{new string('a', ConditionCompiler.MaxRegexLength)}\"")));
        var message = Only(Policy("t", Leaf("args.a", "regex", $"\"{new string('a', ConditionCompiler.MaxRegexLength + 1)}\"")));
        Assert.Equal(ValidationMessages.RegexTooLong(ConditionCompiler.MaxRegexLength), message);
        Assert.Contains($"at most {ConditionCompiler.MaxRegexLength} characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_with_more_than_ExactNumber_MaxDigits_digits_is_refused_by_a_message_that_names_it()
    {
        var exact = "0." + new string('1', ExactNumber.MaxDigits);
        Valid(Policy("t", Leaf("args.a", "lt", exact)));
        var tooLong = exact + "1";
        var message = Only(Policy("t", Leaf("args.a", "lt", tooLong)));
        Assert.Equal(ValidationMessages.NotExact(tooLong), message);
        Assert.Contains($"at most {ExactNumber.MaxDigits} significant digits and {ExactNumber.MaxDigits} decimal places", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_max_may_be_LimitCompiler_MaxMax_and_the_message_names_it()
    {
        string Limit(decimal max) => """{"version": "1", "default": "allow", "all_tools": {"rate_limit": {"max": """ + Invariant(max) + """, "window": 60}}}""";
        Valid(Limit(LimitCompiler.MaxMax));
        var message = Only(Limit(LimitCompiler.MaxMax + 1));
        Assert.Equal(ValidationMessages.MaxRange(LimitCompiler.MaxMax), message);
        Assert.Contains($"at most {Invariant(LimitCompiler.MaxMax)}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_lies_between_Duration_Min_and_Max_and_the_messages_name_them()
    {
        string Ttl(decimal seconds) => $$"""{"version": "1", "default": "allow", "approval_ttl": {{Invariant(seconds)}}}""";
        decimal Seconds(TimeSpan span) => (decimal)span.Ticks / TimeSpan.TicksPerSecond;
        Valid(Ttl(Seconds(Duration.Min)));
        Valid(Ttl(Seconds(Duration.Max)));
        Assert.Equal(ValidationMessages.DurationTooShort, Only(Ttl(Seconds(Duration.Min) / 2)));
        Assert.Equal(ValidationMessages.DurationTooLong, Only(Ttl(Seconds(Duration.Max) + 1)));
        Assert.Contains($"at least {Duration.Min.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms ({Invariant(Seconds(Duration.Min))} seconds)", ValidationMessages.DurationTooShort, StringComparison.Ordinal);
        Assert.Contains($"at most {Duration.Max.Days} days", ValidationMessages.DurationTooLong, StringComparison.Ordinal);
    }

    [Fact]
    public void A_YAML_document_nested_deeper_than_SourceReader_MaxDepth_is_refused_by_a_message_that_names_it()
    {
        var yaml = "version: \"1\"\ndefault: allow\nx-deep: " + new string('[', SourceReader.MaxDepth + 1) + new string(']', SourceReader.MaxDepth + 1) + "\n";
        Assert.False(global::PolicyEngine.Policy.TryParse(yaml, out _, out var errors));
        Assert.Contains(errors, e => e.Message == ValidationMessages.NestedTooDeep);
        Assert.Contains($"deeper than {SourceReader.MaxDepth} levels", ValidationMessages.NestedTooDeep, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pin_message_names_the_prefix_and_the_hex_digits_of_a_SHA256_hash()
    {
        var pin = ToolPin.Compute(System.Text.Json.JsonDocument.Parse("""{"name": "t", "inputSchema": {}}""").RootElement);
        Assert.Equal(PinHasher.Prefix.Length + (2 * System.Security.Cryptography.SHA256.HashSizeInBytes), pin.Length);
        string Pinned(string value) => """{"version": "1", "default": "deny", "tools": {"t": {"pin": """ + $"\"{value}\"" + "}}}";
        Valid(Pinned(pin));
        var message = Only(Pinned(pin[..^1]));
        Assert.Equal(ValidationMessages.Pin(PinHasher.Prefix, 2 * System.Security.Cryptography.SHA256.HashSizeInBytes), message);
        Assert.Equal("'pin' must be \"sha256:\" followed by 64 lowercase hex digits.", message);
        Assert.Equal(message, Only(Pinned(pin + "\\n"))); // a final newline is not part of a pin (a regex's "$" would allow it)
    }

    [Fact]
    public void The_exception_lists_ten_errors_of_a_document_and_counts_the_rest()
    {
        var tools = string.Join(", ", Enumerable.Range(0, 12).Select(i => $"\"t{i}\": {{\"action\": \"maybe\"}}"));
        var ex = Assert.Throws<PolicyValidationException>(() => global::PolicyEngine.Policy.Parse("{\"version\": \"1\", \"default\": \"deny\", \"tools\": {" + tools + "}}"));
        Assert.Equal(12, ex.Errors.Count);
        var nl = Environment.NewLine;
        Assert.Equal(
            $"The policy document has 12 error(s):{nl}{string.Join(nl, ex.Errors.Take(10).Select(e => "  " + e))}{nl}  … and 2 more",
            ex.Message);
    }
}
