using System.Globalization;
using PolicyEngine.Document;

namespace PolicyEngine.Cli.Commands;

/// <summary>Loads a policy file for <c>validate</c> and <c>eval</c>, printing problems the way docs/policy-language.md#command-line asks.</summary>
internal static class PolicyFile
{
    /// <summary>Loads and compiles the policy at <paramref name="path"/>.</summary>
    /// <returns>The policy, or <see langword="null"/> with the exit code to return (errors already written).</returns>
    public static Policy? Load(string path, TextWriter stderr, out int exitCode)
    {
        byte[] bytes;
        try
        {
            bytes = FileInput.ReadAllBytes(path, Policy.MaxDocumentBytes);
        }
        catch (FileInputException e)
        {
            // Too large is a property of the document (exit 1, in the error format); unreadable is not (exit 2).
            if (e.TooLarge)
            {
                WriteErrors(path, [new PolicyError("", 1, 1, ValidationMessages.DocumentTooLarge(Policy.MaxDocumentBytes))], stderr);
                exitCode = ExitCodes.Invalid;
            }
            else
            {
                stderr.WriteLine($"policyengine: {e.Message}");
                exitCode = ExitCodes.Failure;
            }

            return null;
        }

        if (Policy.TryParse(bytes, out var policy, out var errors))
        {
            exitCode = ExitCodes.Ok;
            return policy;
        }

        WriteErrors(path, errors, stderr);
        exitCode = ExitCodes.Invalid;
        return null;
    }

    /// <summary>One line per error: <c>FILE:LINE:COL: POINTER: message</c>, FILE as given on the command line.</summary>
    public static void WriteErrors(string path, IReadOnlyList<PolicyError> errors, TextWriter stderr)
    {
        if (errors.Count == 0)
        {
            // Fail closed: a rejection without a reason still has to show up as a line.
            errors = [new PolicyError("", 1, 1, ValidationMessages.DocumentRejectedWithoutReason)];
        }

        foreach (var error in errors)
        {
            stderr.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"{OneLine(path)}:{error.Line}:{error.Column}: {OneLine(error.Pointer)}: {OneLine(error.Message)}\n"));
        }
    }

    // A message or pointer with a line break would split one error over several lines.
    private static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');
}
