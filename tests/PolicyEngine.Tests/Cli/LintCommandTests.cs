using System.Text.Json;

namespace PolicyEngine.Tests.Cli;

/// <summary><c>policyengine lint</c>: its line and JSON output, --warnaserror, --tools, and its exit codes.</summary>
[Collection(CliProcess.Collection)]
public sealed class LintCommandTests
{
    private const string Clean = """{"version": "1", "default": "deny", "all_tools": {"limits": [{"max": 60, "window": "1m"}]}, "tools": {"read": {}}}""";
    private const string Mistaken = "{\n  \"version\": \"1\",\n  \"default\": \"allow\"\n}\n";

    [Fact]
    public void A_policy_with_no_findings_prints_nothing_and_exits_0()
    {
        using var folder = new TempFolder();
        var run = CliProcess.Run("lint", folder.Write("p.json", Clean), "--warnaserror");
        Assert.Equal((0, "", ""), (run.ExitCode, run.Stdout, run.Stderr));
    }

    [Fact]
    public void A_finding_is_a_line_with_file_position_pointer_and_code()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", Mistaken);
        var run = CliProcess.Run("lint", policy);
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.StartsWith($"{policy}:3:14: /default: PE0012 ", line, StringComparison.Ordinal);
        Assert.Equal(1, CliProcess.Run("lint", "--warnaserror", policy).ExitCode);
    }

    [Fact]
    public void Json_output_is_an_array_of_findings()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", Mistaken);
        using var findings = JsonDocument.Parse(CliProcess.Run("lint", policy, "--json").Stdout);
        var finding = Assert.Single(findings.RootElement.EnumerateArray());
        Assert.Equal(
            (policy, 3, 14, "/default", "PE0012", "warning"),
            (finding.GetProperty("file").GetString(), finding.GetProperty("line").GetInt32(), finding.GetProperty("column").GetInt32(),
             finding.GetProperty("pointer").GetString(), finding.GetProperty("code").GetString(), finding.GetProperty("severity").GetString()));
        Assert.Equal("[]", CliProcess.Run("lint", folder.Write("c.json", Clean), "--json").Stdout.Trim());
    }

    [Fact]
    public void Tools_listing_checks_run_with_tools()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", Clean);
        var tools = folder.Write("tools.json", """{"tools": [{"name": "read"}, {"name": "write"}]}""");
        var run = CliProcess.Run("lint", policy, "--tools", tools);
        Assert.Contains(": /tools: PE0014 The listed tool 'write' has no entry", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_policy_prints_its_errors_and_exits_1()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", """{"version": "2", "default": "deny"}""");
        var run = CliProcess.Run("lint", policy);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{policy}:1:13: /version: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_and_unreadable_files_exit_2()
    {
        using var folder = new TempFolder();
        var policy = folder.Write("p.json", Clean);
        Assert.Equal(2, CliProcess.Run("lint").ExitCode);
        Assert.Equal(2, CliProcess.Run("lint", policy, "--strict").ExitCode);
        Assert.Equal(2, CliProcess.Run("lint", policy, "--tools").ExitCode);
        Assert.Equal(2, CliProcess.Run("lint", Path.Combine(folder.Path, "missing.json")).ExitCode);
        var badTools = CliProcess.Run("lint", policy, "--tools", folder.Write("tools.json", "{\"tools\": 3}"));
        Assert.Equal(2, badTools.ExitCode);
        Assert.Contains("tools.json: a tool listing is", badTools.Stderr, StringComparison.Ordinal);
    }
}
