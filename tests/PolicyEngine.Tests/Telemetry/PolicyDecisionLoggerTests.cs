using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Telemetry;

public sealed class PolicyDecisionLoggerTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Writes_one_json_line_with_the_hash_of_the_canonical_arguments_and_no_raw_arguments()
    {
        var (line, _) = LogOne(Call("""{ "b": 1.0, "a": "x" }"""), includeArguments: false);

        using var record = JsonDocument.Parse(line);
        var root = record.RootElement;
        Assert.Equal("2026-01-01T00:00:00.0000000Z", root.GetProperty("time").GetString());
        Assert.Equal("s1", root.GetProperty("session").GetString());
        Assert.Equal("ping", root.GetProperty("tool").GetString());
        Assert.Equal(Sha256("""{"a":"x","b":1}"""), root.GetProperty("arguments_sha256").GetString());
        Assert.Equal("deny", root.GetProperty("effect").GetString());
        Assert.Equal(DecisionCodes.DefaultDeny, root.GetProperty("code").GetString());
        Assert.Equal("/default", root.GetProperty("rule").GetString());
        Assert.True(root.TryGetProperty("message", out _));
        Assert.False(root.TryGetProperty("arguments", out _));
    }

    [Fact]
    public void Key_order_does_not_change_the_hash()
    {
        var (first, _) = LogOne(Call("""{ "a": [1, {"y": true, "x": null}], "b": "é\n" }"""), includeArguments: false);
        var (second, _) = LogOne(Call("""{ "b": "é\n", "a": [1, {"x": null, "y": true}] }"""), includeArguments: false);

        Assert.Equal(Hash(first), Hash(second));
        Assert.Equal(Sha256("{\"a\":[1,{\"x\":null,\"y\":true}],\"b\":\"é\\n\"}"), Hash(first));
    }

    [Theory]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1E-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("-0", "0")]
    [InlineData("1.50", "1.5")]
    [InlineData("123.456e3", "123456")]
    [InlineData("-2.5e-10", "-2.5e-10")]
    public void Numbers_are_written_as_ECMAScript_does(string raw, string canonical)
    {
        var (line, _) = LogOne(Call($$"""{ "n": {{raw}} }"""), includeArguments: true);

        Assert.Contains($$"""
            "arguments":{"n":{{canonical}}}
            """, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_arguments_are_written_only_on_opt_in()
    {
        var (line, _) = LogOne(Call("""{ "to": "acct-1", "amount": 5 }"""), includeArguments: true);

        using var record = JsonDocument.Parse(line);
        Assert.Equal("""{"amount":5,"to":"acct-1"}""", record.RootElement.GetProperty("arguments").GetRawText());
    }

    [Fact]
    public void The_mcp_argument_dictionary_hashes_like_the_same_json()
    {
        using var json = JsonDocument.Parse("""{ "z": 1, "a": { "k": [true] } }""");
        var dictionary = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

        var (fromDictionary, _) = LogOne(new ToolCall("ping", dictionary) { SessionId = "s1" }, includeArguments: false);
        var (fromJson, _) = LogOne(new ToolCall("ping", json.RootElement) { SessionId = "s1" }, includeArguments: false);

        Assert.Equal(Hash(fromJson), Hash(fromDictionary));
    }

    [Fact]
    public void A_failing_writer_never_reaches_the_caller()
    {
        using var logger = new PolicyDecisionLogger(new FailingWriter());
        using var evaluator = new PolicyEvaluator(Policy.Parse(Policies.DenyAll));
        var telemetry = new PolicyTelemetry(logger, new FakeTimeProvider(At));

        var decision = telemetry.Evaluate(evaluator, new ToolCall("ping"));

        Assert.Equal(DecisionCodes.DefaultDeny, decision.Code);
        Assert.Equal(1, logger.Failures);
    }

    [Fact]
    public void Hostile_argument_text_still_leaves_a_record()
    {
        var (line, decision) = LogOne(Call("""{ "\ud800": "\udfff", "n": 1e400 }"""), includeArguments: true);

        using var record = JsonDocument.Parse(line);
        var root = record.RootElement;
        Assert.Equal((DecisionCodes.DefaultDeny, "ping"), (root.GetProperty("code").GetString(), root.GetProperty("tool").GetString()));
        Assert.Equal(decision.Code, root.GetProperty("code").GetString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", root.GetProperty("arguments_sha256").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("arguments").ValueKind); // the record keeps what it was asked to keep
    }

    [Fact]
    public void Lines_from_concurrent_calls_never_interleave()
    {
        var writer = new StringWriter();
        using var logger = new PolicyDecisionLogger(writer);
        using var evaluator = new PolicyEvaluator(Policy.Parse(Policies.AllowAll));
        var telemetry = new PolicyTelemetry(logger);

        Parallel.For(0, 200, i => telemetry.Evaluate(evaluator, new ToolCall("t" + i) { SessionId = "s" }));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }

    private static ToolCall Call(string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return new ToolCall("ping", document.RootElement.Clone()) { SessionId = "s1" };
    }

    private static (string Line, Decision Decision) LogOne(ToolCall call, bool includeArguments)
    {
        var writer = new StringWriter();
        using var logger = new PolicyDecisionLogger(writer, includeArguments);
        using var evaluator = new PolicyEvaluator(Policy.Parse(Policies.DenyAll));
        var decision = evaluator.Evaluate(call);
        logger.Log(call, decision, At);
        var text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return (Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)), decision);
    }

    private static string Hash(string line)
    {
        using var record = JsonDocument.Parse(line);
        return record.RootElement.GetProperty("arguments_sha256").GetString()!;
    }

    private static string Sha256(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed class FailingWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(string? value) => throw new IOException("disk full");
    }
}
