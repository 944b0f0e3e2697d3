using System.Globalization;
using System.Text;
using PolicyEngine.Replay;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>policyengine replay --policy NEW.json --log DECISIONS.jsonl [--fail-on-change]</c>: decides every call of a
/// decision log (<see cref="PolicyDecisionLogger"/>) again under a new policy, prints each call whose decision
/// changes, old → new, then the count of each code before and after.
/// </summary>
internal static class ReplayCommand
{
    public const string Usage =
        "  policyengine replay --policy NEW.json --log DECISIONS.jsonl [--fail-on-change]\n" +
        "      Re-decide the calls of a decision log under a new policy; print each changed decision and a\n" +
        "      table of codes. Exit 0, or 1 with --fail-on-change when a decision changes; 1 invalid policy;\n" +
        "      2 usage error, unreadable file, or a log that lacks what the policy reads.\n";

    private const int MaxLogBytes = 1024 * 1024 * 1024;

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        string? policyPath = null, logPath = null;
        var failOnChange = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fail-on-change":
                    failOnChange = true;
                    break;
                case "--policy" when i + 1 < args.Length && policyPath is null:
                    policyPath = args[++i];
                    break;
                case "--log" when i + 1 < args.Length && logPath is null:
                    logPath = args[++i];
                    break;
                default:
                    return UsageError(stderr, $"unexpected argument '{args[i]}'");
            }
        }

        if (policyPath is null || logPath is null)
        {
            return UsageError(stderr, "replay needs --policy NEW.json and --log DECISIONS.jsonl");
        }

        var policy = PolicyFile.Load(policyPath, stderr, out var exitCode);
        if (policy is null)
        {
            return exitCode;
        }

        List<LogRecord> records;
        PolicyReads reads;
        try
        {
            reads = PolicyReads.Of(FileInput.ReadAllBytes(policyPath, Policy.MaxDocumentBytes));
            using var log = new StreamReader(new MemoryStream(FileInput.ReadAllBytes(logPath, MaxLogBytes)), Encoding.UTF8);
            records = LogRecord.ReadAll(log);
        }
        catch (Exception e) when (e is FileInputException or InvalidDataException)
        {
            stderr.WriteLine($"policyengine: {(e is InvalidDataException ? logPath + ": " : "")}{e.Message}");
            return ExitCodes.Failure;
        }

        if (Replayer.CannotReplay(reads, records) is { } why)
        {
            stderr.WriteLine($"policyengine: cannot replay {logPath}: {why}");
            return ExitCodes.Failure;
        }

        var result = Replayer.Run(policy, records);
        stdout.Write(Encoding.UTF8.GetBytes(Report(result)));
        stdout.Flush();
        return failOnChange && result.Changes.Count > 0 ? ExitCodes.Invalid : ExitCodes.Ok;
    }

    /// <summary>The changed calls, one per line, then the table of codes and a summary line.</summary>
    public static string Report(ReplayResult result)
    {
        var text = new StringBuilder();
        foreach (var change in result.Changes)
        {
            var r = change.Record;
            text.Append(CultureInfo.InvariantCulture,
                $"line {r.Line}: {r.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFFZ} session '{r.Session}' {r.Tool}: {r.Effect} {r.Code} {r.Rule ?? "-"} -> {change.Effect} {change.Code} {change.Rule ?? "-"}\n");
        }

        if (result.Changes.Count > 0)
        {
            text.Append('\n');
        }

        var width = Math.Max(4, result.Codes.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        text.Append(CultureInfo.InvariantCulture, $"{"code".PadRight(width)}  {"old",7}  {"new",7}\n");
        foreach (var (code, (old, now)) in result.Codes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{code.PadRight(width)}  {old,7}  {now,7}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{result.Calls} calls replayed, {result.Changes.Count} changed\n");
        return text.ToString();
    }

    private static int UsageError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"policyengine: {problem}");
        stderr.Write("usage:\n" + Usage);
        return ExitCodes.Failure;
    }
}
