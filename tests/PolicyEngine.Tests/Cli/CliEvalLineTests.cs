using System.Text.Json;

namespace PolicyEngine.Tests.Cli;

/// <summary><c>eval</c> names the line of the calls file that an error is about, 1-based (issue 15: it said "LineNumber: 0").</summary>
[Collection(CliProcess.Collection)]
public sealed class CliEvalLineTests : IDisposable
{
    private const string AllowAll = """{"version": "1", "default": "allow"}""";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_unreadable_line_is_named_by_its_line_number_in_the_file()
    {
        var answers = Eval(
            """{"tool": "ok"}""",
            "# not json",
            """{"tool": "t", "at": "soon"}""",
            """{"tool": "t", "arguments": {"a": 1""",
            """{"tool": "t", "tool": "u"}""");

        Assert.Null(answers[0].GetProperty("message").GetString());
        var messages = answers.Skip(1).Select(a => a.GetProperty("message").GetString()!).ToList();
        Assert.StartsWith("Line 2: The line is not valid JSON: ", messages[0], StringComparison.Ordinal);
        Assert.EndsWith("(at byte 1)", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("Line 3: 'at' must be a number", messages[1], StringComparison.Ordinal);
        Assert.StartsWith("Line 4: The line is not valid JSON: ", messages[2], StringComparison.Ordinal);
        Assert.StartsWith("Line 5: Duplicate key 'tool'", messages[3], StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain("LineNumber", m, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rejected_reload_reports_positions_on_its_line_of_the_calls_file()
    {
        var answers = Eval(
            """{"tool": "ok"}""",
            """{"reload": {"version": "1", "default": "maybe"}, "at": 1}""",
            """{"reload": {"version": "1", "default": "allow"}, "at": "x"}""");

        var invalid = Assert.Single(answers[1].GetProperty("errors").EnumerateArray());
        Assert.Equal(("/default", 2), (invalid.GetProperty("pointer").GetString(), invalid.GetProperty("line").GetInt32()));
        Assert.Equal("""{"reload": {"version": "1", "default": """.Length + 1, invalid.GetProperty("column").GetInt32());

        var unreadable = Assert.Single(answers[2].GetProperty("errors").EnumerateArray());
        Assert.Equal(3, unreadable.GetProperty("line").GetInt32());
        Assert.StartsWith("Line 3: ", unreadable.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private List<JsonElement> Eval(params string[] lines)
    {
        var run = CliProcess.Run("eval", "--policy", _folder.Write("policy.json", AllowAll), "--calls", _folder.Write("calls.jsonl", string.Join("\n", lines) + "\n"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(lines.Length, run.Lines.Count);
        return [.. run.Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
