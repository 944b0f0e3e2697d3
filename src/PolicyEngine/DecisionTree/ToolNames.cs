using System.Buffers;

namespace PolicyEngine.DecisionTree;

/// <summary>The MCP tool-name character set (docs/policy-language.md#the-document): <c>A–Z a–z 0–9 _ - . /</c>, 1 to 128 characters.</summary>
internal static class ToolNames
{
    public const int MaxLength = 128;

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./");

    private static readonly SearchValues<char> PatternChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./*");

    public static bool IsValid(string? name) =>
        name is { Length: >= 1 and <= MaxLength } && !name.AsSpan().ContainsAnyExcept(NameChars);

    public static bool IsValidPattern(string pattern) => !pattern.AsSpan().ContainsAnyExcept(PatternChars);
}
