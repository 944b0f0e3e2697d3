namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>policyengine convert POLICY.yaml [-o policy.json]</c>: an Intercept document written as this engine's JSON
/// (docs/intercept.md). What cannot be converted exactly is reported as <c>FILE:LINE:COL: POINTER: message</c> on
/// stderr, exit 1, and nothing is written: the output is never more permissive than the input.
/// </summary>
internal static class ConvertCommand
{
    public const string Usage =
        "  policyengine convert POLICY.yaml [-o policy.json]\n" +
        "      Write an Intercept policy in this engine's JSON form (stdout without -o). Exit 0, 1 when some\n" +
        "      part cannot be converted exactly (each reported; nothing written), 2 usage error or unreadable file.\n";

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        string? input = null, output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Length && output is null:
                    output = args[++i];
                    break;
                case var a when a.Length > 1 && a[0] == '-':
                    return UsageError(stderr, a is "-o" or "--output" ? "-o needs one output path" : $"unknown option '{a}'");
                case var a when input is null:
                    input = a;
                    break;
                default:
                    return UsageError(stderr, "convert takes exactly one POLICY file");
            }
        }

        if (input is null)
        {
            return UsageError(stderr, "convert needs a POLICY file");
        }

        if (FileInput.ReadPolicy(input, stderr) is not { } bytes)
        {
            return ExitCodes.Failure;
        }

        if (!Policy.TryConvertIntercept(bytes, out var json, out var errors))
        {
            PolicyFile.WriteErrors(input, errors, stderr);
            return ExitCodes.Invalid;
        }

        var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        try
        {
            if (output is null)
            {
                stdout.Write(utf8);
            }
            else
            {
                File.WriteAllBytes(output, utf8);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"policyengine: cannot write {output}: {e.Message}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    private static int UsageError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"policyengine: {problem}");
        stderr.Write("usage:\n" + Usage);
        return ExitCodes.Failure;
    }
}
