using System.Text.Json;

namespace PolicyEngine.Tests.Cli;

/// <summary><c>eval</c> with calendar windows (spec §4, §9): the virtual clock's 0 is 2026-01-01T00:00:00Z, a UTC midnight.</summary>
[Collection(CliProcess.Collection)]
public sealed class CliCalendarWindowTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Eval_counts_calendar_minutes_and_days_from_the_virtual_clocks_utc_midnight()
    {
        var policy = """
            {"version": "1", "default": "allow", "tools": {
              "t": {"limits": [{"max": 1, "window": "minute"}]},
              "pay": {"limits": [{"max": 100, "window": "day", "cost": "args.n"}]}}}
            """;
        var calls = string.Join('\n',
            """{"tool": "t", "at": 30}""",
            """{"tool": "t", "at": 59.999}""",
            """{"tool": "t", "at": 60}""",
            """{"tool": "pay", "arguments": {"n": 100}, "at": 86399}""",
            """{"tool": "pay", "arguments": {"n": 1}, "at": 86399.5}""",
            """{"tool": "pay", "arguments": {"n": 100}, "at": 86400}""") + "\n";
        var run = CliProcess.Run("eval", "--policy", _folder.Write("policy.json", policy), "--calls", _folder.Write("calls.jsonl", calls));
        Assert.True(run.ExitCode == 0, run.Stderr);

        var answers = run.Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(
            ["allowed", "rate_limited", "allowed", "allowed", "rate_limited", "allowed"],
            answers.Select(a => a.GetProperty("code").GetString()));
        Assert.Equal("0.001", answers[1].GetProperty("retry_after").GetRawText());
        Assert.Equal("0.5", answers[4].GetProperty("retry_after").GetRawText());
    }
}
