using System.Reflection;

namespace PolicyEngine.Cli;

/// <summary>The tool's version as packed (one version for every package), with the commit it was built from.</summary>
internal static class ToolVersion
{
    /// <summary><c>0.1.0</c>, or <c>0.1.0 (commit 4555d9d)</c> when SourceLink recorded the commit.</summary>
    public static string Text { get; } = Describe(
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    private static string Describe(string informational)
    {
        // The SDK appends "+<commit>" to the informational version; the short commit is enough to find the build.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return informational;
        }

        var commit = informational[(plus + 1)..];
        return $"{informational[..plus]} (commit {commit[..Math.Min(7, commit.Length)]})";
    }
}
