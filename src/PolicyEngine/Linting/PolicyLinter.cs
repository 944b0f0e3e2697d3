using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>
/// Static analysis of a valid policy (<c>policyengine lint</c>): mistakes the validator cannot call errors because
/// the document means something, just not what its author meant. Every check is documented in docs/lint.md.
/// </summary>
internal static class PolicyLinter
{
    /// <summary>Lints <paramref name="utf8"/>; <see langword="false"/> with the validation errors when the policy is invalid.</summary>
    public static bool TryLint(ReadOnlySpan<byte> utf8, IReadOnlyList<ListedTool>? tools, out IReadOnlyList<LintFinding> findings, out IReadOnlyList<PolicyError> errors)
    {
        findings = [];
        if (!Policy.TryParse(utf8, out _, out errors))
        {
            return false;
        }

        // As the compiler does: a byte order mark read as spaces keeps every line and column as written.
        var source = utf8.StartsWith("\uFEFF"u8) ? [(byte)' ', (byte)' ', (byte)' ', .. utf8[3..]] : utf8.ToArray();
        var read = SourceReader.Read(source, new Diagnostics());
        using var tree = read?.Tree;
        if (read is not { } root)
        {
            return true; // unreachable: the document was just read and validated
        }

        var context = new LintContext(root, tools);
        EntryChecks.Run(context);
        ConditionChecks.Run(context);
        LimitChecks.Run(context);
        ToolChecks.Run(context);
        findings = context.Resolve(source).OrderBy(f => f.Line).ThenBy(f => f.Column).ToList();
        return true;
    }
}
