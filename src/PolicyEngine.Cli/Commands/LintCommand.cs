using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyEngine.Linting;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>policyengine lint POLICY... [--tools TOOLS.json] [--warnaserror] [--json]</c>: static analysis of valid
/// policies (docs/lint.md). Each finding is a line <c>FILE:LINE:COL: POINTER: PEnnnn message</c> on stdout, or,
/// with <c>--json</c>, one JSON array of them. No findings: nothing printed (<c>[]</c> with --json), exit 0.
/// </summary>
internal static class LintCommand
{
    public const string Usage =
        "  policyengine lint POLICY... [--tools TOOLS.json] [--warnaserror] [--json]\n" +
        "      Warn about mistakes in valid policies: FILE:LINE:COL: POINTER: PEnnnn message (docs/lint.md).\n" +
        "      --tools: a server's tool listing, to check pins and coverage. Exit 0 (1 with --warnaserror\n" +
        "      and a finding, or an invalid policy), 2 usage error or unreadable file.\n";

    private const int MaxListingBytes = 64 * 1024 * 1024;

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        var policies = new List<string>();
        string? toolsPath = null;
        bool warnAsError = false, json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--warnaserror":
                    warnAsError = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--tools" when i + 1 < args.Length && toolsPath is null:
                    toolsPath = args[++i];
                    break;
                case var a when a.StartsWith("--tools=", StringComparison.Ordinal) && toolsPath is null:
                    toolsPath = a["--tools=".Length..];
                    break;
                case var a when a.Length > 1 && a[0] == '-':
                    return UsageError(stderr, a.StartsWith("--tools", StringComparison.Ordinal) ? "--tools needs one TOOLS.json path" : $"unknown option '{a}'");
                default:
                    policies.Add(args[i]);
                    break;
            }
        }

        if (policies.Count == 0)
        {
            return UsageError(stderr, "lint needs at least one POLICY file");
        }

        IReadOnlyList<ListedTool>? tools = null;
        try
        {
            tools = toolsPath is null ? null : ListedTool.Read(FileInput.ReadAllBytes(toolsPath, MaxListingBytes));
        }
        catch (Exception e) when (e is FileInputException or InvalidDataException)
        {
            stderr.WriteLine($"policyengine: {(e is InvalidDataException ? toolsPath + ": " : "")}{e.Message}");
            return ExitCodes.Failure;
        }

        var all = new List<(string File, LintFinding Finding)>();
        var exit = ExitCodes.Ok;
        foreach (var path in policies)
        {
            byte[] bytes;
            try
            {
                bytes = FileInput.ReadAllBytes(path, Policy.MaxDocumentBytes);
            }
            catch (FileInputException e)
            {
                stderr.WriteLine($"policyengine: {e.Message}");
                return ExitCodes.Failure;
            }

            if (!PolicyLinter.TryLint(bytes, tools, out var findings, out var errors))
            {
                PolicyFile.WriteErrors(path, errors, stderr);
                exit = ExitCodes.Invalid;
                continue;
            }

            all.AddRange(findings.Select(f => (path, f)));
        }

        Write(stdout, all, json);
        return exit != ExitCodes.Ok ? exit : warnAsError && all.Count > 0 ? ExitCodes.Invalid : ExitCodes.Ok;
    }

    private static void Write(Stream stdout, List<(string File, LintFinding Finding)> findings, bool json)
    {
        if (json)
        {
            using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            writer.WriteStartArray();
            foreach (var (file, f) in findings)
            {
                writer.WriteStartObject();
                writer.WriteString("file", file);
                writer.WriteNumber("line", f.Line);
                writer.WriteNumber("column", f.Column);
                writer.WriteString("pointer", f.Pointer);
                writer.WriteString("code", f.Code);
                writer.WriteString("severity", "warning");
                writer.WriteString("message", f.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.Flush();
            stdout.Write("\n"u8);
        }
        else
        {
            stdout.Write(Encoding.UTF8.GetBytes(string.Concat(findings.Select(f => f.Finding.Format(f.File) + "\n"))));
        }

        stdout.Flush();
    }

    private static int UsageError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"policyengine: {problem}");
        stderr.Write("usage:\n" + Usage);
        return ExitCodes.Failure;
    }
}
