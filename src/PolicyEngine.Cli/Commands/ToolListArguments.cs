namespace PolicyEngine.Cli.Commands;

/// <summary>
/// The arguments of <c>classify</c> and <c>init</c>: exactly one tool source (<c>--tools FILE</c>, <c>--url URL</c> or
/// <c>--server -- COMMAND [ARGS…]</c>, which takes everything after <c>--</c>) and the command's own flags and options.
/// </summary>
internal sealed class ToolListArguments
{
    public string? ToolsFile { get; private set; }

    public Uri? Url { get; private set; }

    public IReadOnlyList<string>? ServerCommand { get; private set; }

    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; on a usage error returns null and sets <paramref name="problem"/>.</summary>
    public static ToolListArguments? Parse(ReadOnlySpan<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> options, out string problem)
    {
        var parsed = new ToolListArguments();
        problem = "";
        var sources = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--server")
            {
                if (i + 2 >= args.Length || args[i + 1] != "--")
                {
                    problem = "--server takes the server's command line after --, e.g. --server -- dotnet server.dll";
                    return null;
                }

                parsed.ServerCommand = args[(i + 2)..].ToArray();
                sources++;
                break;
            }

            if (flags.Contains(arg))
            {
                parsed.Flags.Add(arg);
                continue;
            }

            var (name, value) = Split(args, ref i);
            if (name is not ("--tools" or "--url") && !options.Contains(name))
            {
                problem = $"unknown argument '{name}'";
                return null;
            }

            if (value is null)
            {
                problem = $"{name} needs a value";
                return null;
            }

            if (name == "--tools")
            {
                parsed.ToolsFile = value;
                sources++;
            }
            else if (name == "--url")
            {
                if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    problem = $"--url needs an http:// or https:// address, not '{value}'";
                    return null;
                }

                parsed.Url = url;
                sources++;
            }
            else if (!parsed.Options.TryAdd(name, value))
            {
                problem = $"{name} given twice";
                return null;
            }
        }

        if (sources != 1)
        {
            problem = "give exactly one of --tools FILE, --url URL or --server -- COMMAND";
            return null;
        }

        return parsed;
    }

    // "--name value" and "--name=value"; "-" alone is a value (stdin).
    private static (string Name, string? Value) Split(ReadOnlySpan<string> args, ref int i)
    {
        var arg = args[i];
        var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
        if (eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (i + 1 < args.Length && (args[i + 1] == "-" || !args[i + 1].StartsWith('-')))
        {
            i++;
            return (arg, args[i]);
        }

        return (arg, null);
    }
}
