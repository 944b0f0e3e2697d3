using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyEngine.Tests.Cli;

/// <summary>The command-line contract of spec §9 beyond the conformance cases: usage, exit codes, malformed lines, output format.</summary>
[Collection(CliProcess.Collection)]
public sealed class CliBehaviourTests : IDisposable
{
    private const string AllowAll = """{"version": "1", "default": "allow"}""";

    private static readonly string[] DecisionKeys = ["effect", "code", "rule", "message", "retry_after", "approval_id", "shadowed"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("eval", "--help")]
    public void Help_prints_usage_on_stdout_and_exits_0(params string[] arguments)
    {
        var run = CliProcess.Run(arguments);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("policyengine eval --policy POLICY --calls FILE.jsonl", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("validate")]
    [InlineData("validate", "a.json", "b.json")]
    [InlineData("eval", "--policy", "p.json")]
    [InlineData("eval", "--calls", "c.jsonl")]
    [InlineData("eval", "--policy", "p.json", "--policy", "q.json", "--calls", "c.jsonl")]
    [InlineData("eval", "--policy", "p.json", "--calls", "c.jsonl", "--verbose", "x")]
    [InlineData("eval", "--policy", "p.json", "--calls")]
    [InlineData("pin")]
    public void Usage_errors_print_usage_on_stderr_and_exit_2(params string[] arguments)
    {
        var run = CliProcess.Run(arguments);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("policyengine: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_named_on_stderr_with_exit_2()
    {
        var missing = Path.Combine(_folder.Path, "nowhere.json");
        var policy = _folder.Write("policy.json", AllowAll);
        foreach (var run in new[]
        {
            CliProcess.Run("validate", missing),
            CliProcess.Run("eval", "--policy", missing, "--calls", policy),
            CliProcess.Run("eval", "--policy", policy, "--calls", missing),
            CliProcess.Run("pin", missing),
        })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Empty(run.Stdout);
            Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_is_silent_with_exit_0_for_a_valid_policy()
    {
        var run = CliProcess.Run("validate", _folder.Write("policy.json", AllowAll));
        Assert.Equal((0, "", ""), (run.ExitCode, run.Stdout, run.Stderr));
    }

    [Fact]
    public void Validate_prints_file_line_col_pointer_message_per_error()
    {
        // Relative path: FILE is printed exactly as given on the command line.
        _folder.Write("bad policy.json", "{\n  \"default\": \"maybe\"\n}\n");
        var file = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_folder.Path, "bad policy.json"));
        var run = CliProcess.Run("validate", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.EndsWith("\n", run.Stderr, StringComparison.Ordinal);
        var lines = run.Stderr.TrimEnd('\n').Split('\n');
        var format = new Regex("^" + Regex.Escape(file) + @":[1-9][0-9]*:[1-9][0-9]*: (/[^ ]*)?: \S.*$");
        Assert.All(lines, line => Assert.Matches(format, line));
        Assert.Contains(lines, line => line.Contains(": /version: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith(file + ":2:", StringComparison.Ordinal) && line.Contains(": /default: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Eval_with_an_invalid_policy_prints_errors_like_validate_and_exits_1()
    {
        var policy = _folder.Write("policy.json", """{"version": "1"}""");
        var run = CliProcess.Run("eval", "--policy", policy, "--calls", _folder.Write("calls.jsonl", "{\"tool\": \"t\"}\n"));
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal(CliProcess.Run("validate", policy).Stderr, run.Stderr);
        Assert.Contains($"{policy}:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(": /default: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_malformed_line_answers_one_invalid_call_and_nothing_is_skipped()
    {
        string[] malformed =
        [
            """{"tool": "t", "arguments": {"a": 1""",
            """not json at all""",
            """{"tool": "t", "arguments": {"a": {"b": [{"c": 1, "c": 2}]}}}""",
            """{"tool": "t", "context": {"user": "u", "user": "v"}}""",
            """{"tool": "t", "tool": "u"}""",
            """{"tool": "t", "arguments": {"a": 1, "\u0061": 2}}""",
            """{"tool": "t", "session": 7}""",
            """{"tool": "t", "session": null}""",
            """{"tool": "t", "context": ["user"]}""",
            """{"tool": 42}""",
            """{"arguments": {}}""",
            """["tool", "t"]""",
            """{"tool": "t", "at": "soon"}""",
            """{"tool": "t\ud800"}""",
            "{\"tool\": \"t\", \"arguments\": {\"s\": \"\xff\"}}",
        ];
        var lines = malformed.SelectMany(l => new[] { l, """{"tool": "ok"}""" }).ToList();
        var run = Eval(AllowAll, string.Join("\n", lines) + "\n");

        Assert.Equal(lines.Count, run.Lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var answer = Decision(run.Lines[i]);
            var expected = i % 2 == 0 ? ("deny", "invalid_call") : ("allow", "default_allow");
            Assert.True(expected == (answer.GetProperty("effect").GetString(), answer.GetProperty("code").GetString()), $"line {i}: {lines[i]} → {run.Lines[i]}");
        }
    }

    [Fact]
    public void Calls_can_come_from_stdin()
    {
        var run = CliProcess.RunWithInput("{\"tool\": \"a\"}\n{\"tool\": \"a b\"}\n", "eval", "--policy", _folder.Write("policy.json", AllowAll), "--calls", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["default_allow", "invalid_call"], run.Lines.Select(l => Decision(l).GetProperty("code").GetString()));
    }

    [Fact]
    public void Blank_lines_are_answered_as_invalid_calls_and_crlf_endings_read()
    {
        // Spec §9: every line gets an answer. Only the file's final line break ends no line.
        var run = Eval(AllowAll, "\n{\"tool\": \"a\"}\r\n   \n\t\r\n{\"tool\": \"b\"}\n");
        Assert.Equal(["invalid_call", "default_allow", "invalid_call", "invalid_call", "default_allow"], run.Lines.Select(l => Decision(l).GetProperty("code").GetString()));
        Assert.Equal(["Line 1:", "Line 3:", "Line 4:"], run.Lines.Select(l => Decision(l).GetProperty("message").GetString()).OfType<string>().Select(m => m[..7]));
    }

    [Fact]
    public void A_line_over_16_MiB_is_an_invalid_call_and_the_next_line_is_still_read()
    {
        var huge = "{\"tool\": \"t\", \"arguments\": {\"s\": \"" + new string('x', 16 * 1024 * 1024) + "\"}}";
        var run = Eval(AllowAll, huge + "\n{\"tool\": \"t\"}\n");
        Assert.Equal(2, run.Lines.Count);
        Assert.Equal("invalid_call", Decision(run.Lines[0]).GetProperty("code").GetString());
        Assert.Equal("default_allow", Decision(run.Lines[1]).GetProperty("code").GetString());
    }

    [Fact]
    public void The_clock_never_goes_backwards_and_a_step_without_at_keeps_the_time()
    {
        var policy = """{"version": "1", "default": "deny", "tools": {"t": {"rate_limit": {"max": 1, "window": 10}}}}""";
        var run = Eval(policy, """
            {"tool": "t", "at": 100}
            {"tool": "t", "at": 50}
            {"tool": "t"}
            {"tool": "t", "at": 105.5}
            {"tool": "t", "at": 110}
            """);

        Assert.Equal(5, run.Lines.Count);
        Assert.Equal("allowed", Decision(run.Lines[0]).GetProperty("code").GetString());
        // at 50 is before 100: the clock stays at 100, so the window is still full for 10 s.
        Assert.Equal(10m, Decision(run.Lines[1]).GetProperty("retry_after").GetDecimal());
        Assert.Equal(10m, Decision(run.Lines[2]).GetProperty("retry_after").GetDecimal());
        Assert.Equal("4.5", Decision(run.Lines[3]).GetProperty("retry_after").GetRawText());
        Assert.Equal("allowed", Decision(run.Lines[4]).GetProperty("code").GetString());
    }

    [Fact]
    public void Decisions_are_compact_utf8_lines_with_every_key()
    {
        var policy = """{"version": "1", "default": "allow", "tools": {"x": {"action": "deny", "reason": "Nein – ü <b>"}}}""";
        var run = Eval(policy, "{\"tool\": \"x\"}\n{\"tool\": \"y\"}\n");

        Assert.Equal(
            "{\"effect\":\"deny\",\"code\":\"denied\",\"rule\":\"/tools/x/action\",\"message\":\"Nein – ü <b>\",\"retry_after\":null,\"approval_id\":null,\"shadowed\":null}\n" +
            "{\"effect\":\"allow\",\"code\":\"default_allow\",\"rule\":\"/default\",\"message\":null,\"retry_after\":null,\"approval_id\":null,\"shadowed\":null}\n",
            run.Stdout);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public void Approval_and_reload_steps_answer_in_their_own_shape()
    {
        var policy = """{"version": "1", "default": "deny", "tools": {"w": {"action": "require_approval"}}}""";
        var run = Eval(policy, """
            {"tool": "w", "session": "s", "arguments": {"n": 1}}
            {"approve": {"tool": "w", "session": 5}}
            {"approve": {"tool": "w", "session": "s", "arguments": {"n": 1}}, "at": 1}
            {"approve": {"tool": "w", "session": "s", "arguments": {"n": 1}}, "at": 1}
            {"reload": {"version": "1", "default": "maybe"}}
            {"reload": {"version": "1", "default": "allow", "default": "deny"}}
            {"reload": {"version": "1", "default": "allow"}}
            {"tool": "w"}
            """);

        Assert.Equal(8, run.Lines.Count);
        Assert.Equal("approval_required", Decision(run.Lines[0]).GetProperty("code").GetString());
        Assert.Equal(["""{"approved":false}""", """{"approved":true}""", """{"approved":false}"""], run.Lines.Skip(1).Take(3));
        using var rejected = JsonDocument.Parse(run.Lines[4]);
        Assert.False(rejected.RootElement.GetProperty("reloaded").GetBoolean());
        var error = Assert.Single(rejected.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("/default", error.GetProperty("pointer").GetString());
        Assert.True(error.GetProperty("line").GetInt32() >= 1 && error.GetProperty("column").GetInt32() >= 1);
        Assert.NotEmpty(error.GetProperty("message").GetString()!);
        using var duplicate = JsonDocument.Parse(run.Lines[5]);
        Assert.False(duplicate.RootElement.GetProperty("reloaded").GetBoolean());
        Assert.Equal("""{"reloaded":true}""", run.Lines[6]);
        Assert.Equal("default_allow", Decision(run.Lines[7]).GetProperty("code").GetString());
    }

    [Fact]
    public void Pin_prints_the_definition_pin()
    {
        var definition = _folder.Write("transfer.json", """
            {"name": "transfer", "description": "Move funds between accounts.",
             "inputSchema": {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0}}, "required": ["amount"]}}
            """);
        var run = CliProcess.Run("pin", definition);
        Assert.Equal((0, "sha256:0312bae47b607f457558b90ea35288014b3a11901121db60fd6e4e85db71e56b\n", ""), (run.ExitCode, run.Stdout, run.Stderr));

        var notAnObject = CliProcess.Run("pin", _folder.Write("list.json", "[1]"));
        Assert.Equal(1, notAnObject.ExitCode);
        Assert.Empty(notAnObject.Stdout);
    }

    private CliResult Eval(string policy, string calls)
    {
        var run = CliProcess.Run("eval", "--policy", _folder.Write("policy.json", policy), "--calls", WriteBytes("calls.jsonl", calls));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain('\r', run.Stdout);
        return run;
    }

    // Calls files are written byte for byte (Latin-1 for \xff) so that a test can hold invalid UTF-8.
    private string WriteBytes(string name, string text)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, text.Any(c => c is '\xff') ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text));
        return path;
    }

    private static JsonElement Decision(string line)
    {
        using var document = JsonDocument.Parse(line);
        var answer = document.RootElement.Clone();
        Assert.Equal(DecisionKeys, answer.EnumerateObject().Select(p => p.Name));
        return answer;
    }
}
