using System.Text;
using System.Text.RegularExpressions;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>
/// A <c>regex</c> that is only an alternation of plain ASCII words, such as <c>urgent|override</c>, matches
/// exactly when one of the words occurs in the text. That is searched for in the value's UTF-8 bytes, in
/// place: ASCII characters are single bytes in UTF-8 and no other byte decodes to one, so a word occurs in the
/// bytes iff it occurs in the decoded text (invalid sequences included). Any other pattern runs as a regex.
/// </summary>
internal static class RegexLiterals
{
    private const int MaxWords = 8;

    /// <summary>Characters that are literal anywhere in a .NET pattern without <see cref="RegexOptions.IgnorePatternWhitespace"/>.</summary>
    // Stryker disable once String : equivalent. With no plain characters no pattern is plain words, and every pattern runs
    // as its regex, which matches exactly what the words would.
    private static readonly System.Buffers.SearchValues<char> Plain =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-");

    /// <summary>The words of a case-sensitive pattern made only of plain words and <c>|</c>; otherwise <see langword="null"/>.</summary>
    public static byte[][]? TryGetWords(Regex regex)
    {
        const RegexOptions allowed = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if ((regex.Options & ~allowed) != 0)
        {
            return null;
        }

        var words = regex.ToString().Split('|');
        if (words.Length > MaxWords)
        {
            return null;
        }

        foreach (var word in words)
        {
            // An empty alternative matches everywhere: left to the regex, like anything unusual.
            if (word.Length == 0 || word.AsSpan().ContainsAnyExcept(Plain))
            {
                return null;
            }
        }

        return [.. words.Select(Encoding.ASCII.GetBytes)];
    }

    public static bool IsMatch(ReadOnlySpan<byte> utf8, byte[][] words)
    {
        foreach (var word in words)
        {
            if (utf8.IndexOf(word) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
