namespace PolicyEngine.Tests.Cli;

/// <summary><c>policyengine replay</c>: the changed calls, the table of codes, --fail-on-change and the exit codes.</summary>
[Collection(CliProcess.Collection)]
public sealed class ReplayCommandTests
{
    private const string Old = """{"version": "1", "default": "deny", "tools": {"search": {}, "pay": {"deny_if": [{"conditions": [{"path": "args.amount", "op": "gt", "value": 1000}]}]}}}""";

    private static readonly string Log = string.Join("\n",
        """{"time":"2026-03-01T12:00:00.0000000Z","session":"s1","tool":"search","arguments_sha256":null,"effect":"allow","code":"allowed","rule":"/tools/search","message":null,"arguments":{},"context":{}}""",
        """{"time":"2026-03-01T12:00:05.0000000Z","session":"s1","tool":"pay","arguments_sha256":null,"effect":"allow","code":"allowed","rule":"/tools/pay","message":null,"arguments":{"amount":500},"context":{}}""",
        """{"time":"2026-03-01T12:00:09.0000000Z","session":"s1","tool":"pay","arguments_sha256":null,"effect":"deny","code":"denied","rule":"/tools/pay/deny_if/0","message":"A deny_if rule matched this call.","arguments":{"amount":5000},"context":{}}""",
        "");

    [Fact]
    public void Changed_calls_are_printed_old_to_new_with_a_table_of_codes()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("new.json", Old.Replace("1000", "100", StringComparison.Ordinal));
        var log = folder.Write("decisions.jsonl", Log);
        var run = CliProcess.Run("replay", "--policy", policy, "--log", log);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            [
                "line 2: 2026-03-01T12:00:05Z session 's1' pay: allow allowed /tools/pay -> deny denied /tools/pay/deny_if/0",
                "code         old      new",
                "allowed        2        1",
                "denied         1        2",
                "3 calls replayed, 1 changed",
            ],
            run.Lines);
        Assert.Equal(1, CliProcess.Run("replay", "--policy", policy, "--log", log, "--fail-on-change").ExitCode);
    }

    [Fact]
    public void An_unchanged_replay_exits_0_even_with_fail_on_change()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("replay", "--policy", folder.Write("p.json", Old), "--log", folder.Write("d.jsonl", Log), "--fail-on-change");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("3 calls replayed, 0 changed", run.Lines[^1]);
    }

    [Fact]
    public void A_log_without_what_the_policy_reads_cannot_be_replayed()
    {
        using var folder = new TempFolder();
        var log = folder.Write("d.jsonl", """{"time":"2026-03-01T12:00:00Z","session":"s1","tool":"pay","arguments_sha256":null,"effect":"allow","code":"allowed","rule":"/tools/pay","message":null}""");
        var run = CliProcess.Run("replay", "--policy", folder.Write("p.json", Old), "--log", log);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot replay", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("log with IncludeArguments", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_bad_logs_and_invalid_policies()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", Old);
        Assert.Equal(2, CliProcess.Run("replay", "--policy", policy).ExitCode);
        Assert.Equal(2, CliProcess.Run("replay", "--policy", policy, "--log", folder.Write("bad.jsonl", "{oops")).ExitCode);
        Assert.Equal(2, CliProcess.Run("replay", "--policy", policy, "--log", Path.Combine(folder.Path, "none.jsonl")).ExitCode);
        Assert.Equal(1, CliProcess.Run("replay", "--policy", folder.Write("bad.json", "{}"), "--log", folder.Write("d.jsonl", Log)).ExitCode);
    }

    [Fact]
    public void The_quick_start_log_replays_unchanged_under_its_policy_and_with_one_change_under_the_next()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "Schema", "Samples", "QuickStart");
        var log = Path.Combine(samples, "decisions.jsonl");
        var same = CliProcess.Run("replay", "--policy", Path.Combine(samples, "policy.json"), "--log", log, "--fail-on-change");
        Assert.Equal((0, "12 calls replayed, 0 changed"), (same.ExitCode, same.Lines[^1]));
        var next = CliProcess.Run("replay", "--policy", Path.Combine(samples, "policy.next.json"), "--log", log, "--fail-on-change");
        Assert.Equal((1, "12 calls replayed, 1 changed"), (next.ExitCode, next.Lines[^1]));
        Assert.EndsWith("-> deny rate_limited /tools/binance_us_place_order/rate_limit", next.Lines[0], StringComparison.Ordinal);
    }
}
