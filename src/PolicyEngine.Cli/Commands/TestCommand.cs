using System.Text;
using PolicyEngine.Testing;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>policyengine test FILE|DIR... [--junit OUT.xml]</c>: runs every policy test (docs/authoring.md) through the
/// library's <see cref="PolicyTestRunner"/>, prints each failing step with expected and actual, then
/// <c>N passed, N failed</c>. Exit 0 when all pass, 1 when any fails, 2 when a file cannot be read as a test.
/// </summary>
internal static class TestCommand
{
    public const string Usage =
        "  policyengine test FILE|DIR... [--junit OUT.xml]\n" +
        "      Run policy tests (a policy and steps with expected answers; see docs/authoring.md). A DIR is\n" +
        "      searched for *.json tests. Prints each failing step, then 'N passed, N failed'.\n" +
        "      Exit 0 all passed, 1 a test failed, 2 a file is not a readable test.\n";

    private const int TestFailed = ExitCodes.Invalid;

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        var paths = new List<string>();
        string? junit = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--junit" && i + 1 < args.Length && junit is null)
            {
                junit = args[++i];
            }
            else if (args[i].StartsWith("--junit=", StringComparison.Ordinal) && junit is null)
            {
                junit = args[i]["--junit=".Length..];
            }
            else if (args[i].Length > 1 && args[i][0] == '-')
            {
                return UsageError(stderr, args[i] is "--junit" or "--junit=" ? "--junit needs one OUT.xml path" : $"unknown option '{args[i]}'");
            }
            else
            {
                paths.Add(args[i]);
            }
        }

        if (paths.Count == 0)
        {
            return UsageError(stderr, "test needs at least one FILE or DIR");
        }

        IReadOnlyList<string> files;
        try
        {
            files = PolicyTestRunner.FindTests([.. paths]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return ExitCodes.Failure;
        }

        var outcomes = files.Select(RunOne).ToList();
        using (var output = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
        {
            foreach (var outcome in outcomes.Where(o => o.Result is not { Passed: true }))
            {
                output.WriteLine(outcome.Result?.ToString() ?? $"ERROR {outcome.File}: {outcome.Error}");
            }

            var passed = outcomes.Count(o => o.Result is { Passed: true });
            output.WriteLine($"{passed} passed, {outcomes.Count - passed} failed");
        }

        if (junit is not null && !JunitReport.TryWrite(junit, outcomes, stderr))
        {
            return ExitCodes.Failure;
        }

        return outcomes.Any(o => o.Result is null) ? ExitCodes.Failure
            : outcomes.Any(o => !o.Result!.Passed) ? TestFailed
            : ExitCodes.Ok;
    }

    private static TestOutcome RunOne(string file)
    {
        try
        {
            return new TestOutcome(file, PolicyTestRunner.RunFile(file), null);
        }
        catch (InvalidDataException e)
        {
            return new TestOutcome(file, null, e.Message.StartsWith(file + ": ", StringComparison.Ordinal) ? e.Message[(file.Length + 2)..] : e.Message);
        }
    }

    private static int UsageError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"policyengine: {problem}");
        stderr.Write("usage:\n" + Usage);
        return ExitCodes.Failure;
    }
}
