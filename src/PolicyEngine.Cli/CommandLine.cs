using System.Text;
using PolicyEngine.Cli.Commands;

namespace PolicyEngine.Cli;

/// <summary>Parses the command line and dispatches to a command (docs/policy-language.md#command-line).</summary>
internal static class CommandLine
{
    public const string ValidateUsage =
        "  policyengine validate POLICY\n" +
        "      Exit 0 if the policy is valid; else exit 1 with one line per error on stderr, in file order:\n" +
        "      FILE:LINE:COL: POINTER: message\n";

    public const string EvalUsage =
        "  policyengine eval --policy POLICY --calls FILE.jsonl\n" +
        "      Read one step per line (a call, {\"approve\": {...}} or {\"reload\": {...}}, each with an\n" +
        "      optional \"at\" in seconds on a virtual clock) and write one JSON answer per line to stdout.\n" +
        "      FILE.jsonl may be - for stdin.\n";

    public const string PinUsage =
        "  policyengine pin DEFINITION.json\n" +
        "      Print the pin (sha256:...) of a tool definition {name, description, inputSchema}.\n";

    public const string ClassifyUsage =
        "  policyengine classify (--tools TOOLS.json | --url URL | --server -- COMMAND [ARGS...]) [--json]\n" +
        "      Print the category, risk and reasons of every tool of a saved tools/list result or of a live\n" +
        "      MCP server (started over stdio, or reached over Streamable HTTP), as a table or as JSON.\n";

    public const string InitUsage =
        "  policyengine init (--tools TOOLS.json | --url URL | --server -- COMMAND [ARGS...])\n" +
        "                    [-o POLICY] [--dry-run] [--force] [--approvals engine|policylayer]\n" +
        "      Write a starter policy for those tools (default POLICY: policy.json): default deny; low and\n" +
        "      medium risk allowed with a rate limit; high and critical need a person. --dry-run prints it.\n";

    private const string ExitCodesLine = "exit codes: 0 ok, 1 invalid policy or definition, 2 usage error or unreadable file\n";

    public const string Usage =
        "usage:\n" + ValidateUsage + EvalUsage + PinUsage + ClassifyUsage + InitUsage +
        Commands.TestCommand.Usage + Commands.LintCommand.Usage + Commands.ReplayCommand.Usage + Commands.ConvertCommand.Usage +
        "  policyengine --help | COMMAND --help\n" +
        "  policyengine --version\n" +
        ExitCodesLine;

    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            return UsageError(stderr, "no command given");
        }

        if (args is ["--help" or "-h" or "help"])
        {
            return Print(stdout, Usage);
        }

        if (args is ["--version"])
        {
            return Print(stdout, $"policyengine {ToolVersion.Text}\n");
        }

        // COMMAND --help: that command's usage only.
        if (args is [var command, "--help" or "-h"] && CommandUsage(command) is { } usage)
        {
            return Print(stdout, "usage:\n" + usage + ExitCodesLine);
        }

        return args[0] switch
        {
            "validate" when args.Length == 2 && !IsOption(args[1]) => ValidateCommand.Run(args[1], stderr),
            "validate" => UsageError(stderr, "validate takes exactly one POLICY file"),
            "pin" when args.Length == 2 && !IsOption(args[1]) => PinCommand.Run(args[1], stdout, stderr),
            "pin" => UsageError(stderr, "pin takes exactly one DEFINITION.json file"),
            "eval" => RunEval(args.AsSpan(1), stdout, stderr),
            "classify" => RunToolList(args.AsSpan(1), ClassifyCommand.Flags, ClassifyCommand.Options, ClassifyCommand.Run, stdout, stderr),
            "init" => RunToolList(args.AsSpan(1), InitCommand.Flags, InitCommand.Options, InitCommand.Run, stdout, stderr),
            "test" => TestCommand.Run(args.AsSpan(1), stdout, stderr),
            "lint" => LintCommand.Run(args.AsSpan(1), stdout, stderr),
            "replay" => ReplayCommand.Run(args.AsSpan(1), stdout, stderr),
            "convert" => ConvertCommand.Run(args.AsSpan(1), stdout, stderr),
            _ => UsageError(stderr, $"unknown command '{args[0]}'"),
        };
    }

    private static int RunEval(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        string? policy = null;
        string? calls = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = SplitOption(args, ref i);
            if (value is null)
            {
                return UsageError(stderr, name is "--policy" or "--calls" ? $"{name} needs a value" : $"unknown argument '{name}'");
            }

            if (name is not ("--policy" or "--calls"))
            {
                return UsageError(stderr, $"unknown option '{name}'");
            }

            ref var slot = ref name == "--policy" ? ref policy : ref calls;
            if (slot is not null)
            {
                return UsageError(stderr, $"{name} given twice");
            }

            slot = value;
        }

        if (policy is null || calls is null)
        {
            return UsageError(stderr, "eval needs --policy POLICY and --calls FILE.jsonl");
        }

        return EvalCommand.Run(policy, calls, stdout, stderr);
    }

    private static int RunToolList(
        ReadOnlySpan<string> args,
        IReadOnlySet<string> flags,
        IReadOnlySet<string> options,
        Func<ToolListArguments, Stream, TextWriter, int> command,
        Stream stdout,
        TextWriter stderr) =>
        ToolListArguments.Parse(args, flags, options, out var problem) is { } parsed ? command(parsed, stdout, stderr) : UsageError(stderr, problem);

    // Accepts "--name value" and "--name=value"; a lone "-" is a value (stdin), never an option.
    private static (string Name, string? Value) SplitOption(ReadOnlySpan<string> args, ref int i)
    {
        var arg = args[i];
        if (!IsOption(arg))
        {
            return (arg, null);
        }

        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (i + 1 < args.Length && (!IsOption(args[i + 1])))
        {
            i++;
            return (arg, args[i]);
        }

        return (arg, null);
    }

    private static bool IsOption(string arg) => arg.Length > 1 && arg[0] == '-';

    private static string? CommandUsage(string command) => command switch
    {
        "validate" => ValidateUsage,
        "eval" => EvalUsage,
        "pin" => PinUsage,
        "classify" => ClassifyUsage,
        "init" => InitUsage,
        "test" => Commands.TestCommand.Usage,
        "lint" => Commands.LintCommand.Usage,
        "replay" => Commands.ReplayCommand.Usage,
        "convert" => Commands.ConvertCommand.Usage,
        _ => null,
    };

    private static int Print(Stream stdout, string text)
    {
        stdout.Write(Encoding.UTF8.GetBytes(text));
        stdout.Flush();
        return ExitCodes.Ok;
    }

    private static int UsageError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"policyengine: {problem}");
        stderr.Write(Usage);
        return ExitCodes.Failure;
    }
}
