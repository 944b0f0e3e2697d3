using System.Text.Json;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.Cli;

/// <summary>
/// Every conformance case through the built command, the way shared/tools/run_cases.py runs it: the policy and
/// the steps written to files, one child process per case, the answers matched line by line.
/// </summary>
[Collection(CliProcess.Collection)]
public sealed class CliConformanceTests
{
    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_passes_through_the_command(string caseFile)
    {
        using var file = ConformanceCaseRunner.Load(caseFile);
        Assert.Null(Run(file.RootElement));
    }

    private static string? Run(JsonElement testCase)
    {
        using var folder = new TempFolder();
        var policy = folder.Write("policy.json", ConformanceCaseRunner.PolicyText(testCase));
        if (testCase.TryGetProperty("expect_errors", out var expectErrors))
        {
            var validate = CliProcess.Run("validate", policy);
            if (validate.ExitCode != 1)
            {
                return $"validate exit {validate.ExitCode}, want 1 (stderr: {validate.Stderr})";
            }

            var errorLines = validate.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var pointers = expectErrors.EnumerateArray().Select(p => p.GetString()!).ToList();
            var missing = pointers.FirstOrDefault(p => !errorLines.Any(l => l.Contains($": {p}: ", StringComparison.Ordinal)));
            return errorLines.Length == 0 ? "validate printed no error lines"
                : missing is not null ? $"no error at '{missing}'; got {string.Join(" | ", errorLines.Take(6))}"
                : null;
        }

        var steps = testCase.GetProperty("steps").EnumerateArray().ToList();
        var calls = folder.Write("calls.jsonl", string.Concat(steps.Select(s => Line(s) + "\n")));
        var eval = CliProcess.Run("eval", "--policy", policy, "--calls", calls);
        if (eval.ExitCode != 0)
        {
            return $"eval exit {eval.ExitCode}: {eval.Stderr}";
        }

        if (eval.Lines.Count != steps.Count)
        {
            return $"{eval.Lines.Count} output lines for {steps.Count} steps";
        }

        for (var i = 0; i < steps.Count; i++)
        {
            using var answer = JsonDocument.Parse(eval.Lines[i]);
            if (ConformanceCaseRunner.Match(steps[i].GetProperty("expect"), answer.RootElement, $"step {i}") is { } mismatch)
            {
                return mismatch;
            }
        }

        return null;
    }

    // The line run_cases.py writes for a step.
    private static string Line(JsonElement step)
    {
        if (step.TryGetProperty("raw", out var raw))
        {
            return raw.GetString()!;
        }

        if (step.TryGetProperty("call", out var call))
        {
            return ConformanceCaseRunner.Compact(call);
        }

        var key = step.TryGetProperty("approve", out _) ? "approve" : "reload";
        var at = step.TryGetProperty("at", out var time) ? $", \"at\": {time.GetRawText()}" : "";
        return $"{{\"{key}\": {ConformanceCaseRunner.Compact(step.GetProperty(key))}{at}}}";
    }
}
