using System.Xml.Linq;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.Cli;

/// <summary><c>policyengine test</c>: output, exit codes, the JUnit report, and the project's own conformance cases through it.</summary>
[Collection(CliProcess.Collection)]
public sealed class TestCommandTests
{
    private const string Policy = """{"version": "1", "default": "deny", "tools": {"search": {"rate_limit": {"max": 1, "window": 60}}}}""";
    private const string Passing = """{"name": "first search allowed", "policy": "policy.json", "steps": [{"call": {"tool": "search"}, "expect": {"code": "allowed"}}]}""";
    private const string Failing = """{"policy": "policy.json", "steps": [{"call": {"tool": "search"}, "expect": {"code": "allowed"}}, {"call": {"tool": "search", "at": 1}, "expect": {"code": "allowed", "retry_after": null}}]}""";

    [Fact]
    public void The_conformance_cases_pass_through_the_command()
    {
        var run = CliProcess.Run("test", ConformanceCaseRunner.CasesDirectory);
        var count = Directory.GetFiles(ConformanceCaseRunner.CasesDirectory, "*.json").Length;
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal($"{count} passed, 0 failed", run.Lines[^1]);
    }

    [Fact]
    public void Passing_tests_print_only_the_count_and_exit_0()
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Policy);
        folder.Write("search.json", Passing);
        var run = CliProcess.Run("test", folder.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["1 passed, 0 failed"], run.Lines);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void A_failing_step_is_printed_with_expected_and_actual_and_exits_1()
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Policy);
        folder.Write("a.json", Passing);
        var failing = folder.Write("b.json", Failing);
        var run = CliProcess.Run("test", folder.Path);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(5, run.Lines.Count);
        Assert.Equal(
            [
                $"FAIL b ({failing})",
                "  step 1: code: expected \"allowed\", got \"rate_limited\"",
                "    expected {\"code\":\"allowed\",\"retry_after\":null}",
            ],
            run.Lines.Take(3));
        Assert.StartsWith("    actual   {\"effect\":\"deny\",\"code\":\"rate_limited\",\"rule\":\"/tools/search/rate_limit\",\"message\":", run.Lines[3], StringComparison.Ordinal);
        Assert.EndsWith("\"retry_after\":59,\"approval_id\":null,\"shadowed\":null}", run.Lines[3], StringComparison.Ordinal);
        Assert.Equal("1 passed, 1 failed", run.Lines[4]);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"policy": "missing.json", "steps": []}""", "/policy: cannot read the policy file")]
    [InlineData("""{"policy": {}, "steps": [{"cal": {}, "expect": {}}]}""", "/steps/0: unknown key 'cal'")]
    public void A_file_that_is_not_a_readable_test_is_an_error_and_exits_2(string text, string message)
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Policy);
        folder.Write("a.json", Passing);
        var bad = folder.Write("bad.json", text);
        var run = CliProcess.Run("test", Path.Combine(folder.Path, "a.json"), bad);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"ERROR {bad}: {message}", run.Lines[0], StringComparison.Ordinal);
        Assert.Equal("1 passed, 1 failed", run.Lines[^1]);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, CliProcess.Run("test").ExitCode);
        Assert.Equal(2, CliProcess.Run("test", "--junit").ExitCode);
        Assert.Equal(2, CliProcess.Run("test", "--fast", ".").ExitCode);
        var missing = CliProcess.Run("test", "no-such-folder");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no-such-folder: no such file or folder", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Junit_report_has_a_testcase_per_file_with_failures_and_errors()
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Policy);
        folder.Write("a.json", Passing);
        folder.Write("b.json", Failing);
        folder.Write("c.json", "{");
        var report = Path.Combine(folder.Path, "out.xml");
        var run = CliProcess.Run("test", folder.Path, "--junit", report);
        Assert.Equal(2, run.ExitCode);
        var suites = XDocument.Load(report).Root!;
        Assert.Equal(("3", "1", "1"), ((string)suites.Attribute("tests")!, (string)suites.Attribute("failures")!, (string)suites.Attribute("errors")!));
        var cases = suites.Descendants("testcase").ToList();
        Assert.Equal(["first search allowed", "b", "c"], cases.Select(c => (string)c.Attribute("name")!));
        Assert.Empty(cases[0].Elements());
        Assert.Equal("step 1: code: expected \"allowed\", got \"rate_limited\"".Split(": ", 2)[1], (string)cases[1].Element("failure")!.Attribute("message")!);
        Assert.Contains("actual   {", cases[1].Element("failure")!.Value, StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON", (string)cases[2].Element("error")!.Attribute("message")!, StringComparison.Ordinal);
    }
}
