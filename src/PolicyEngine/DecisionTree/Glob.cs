namespace PolicyEngine.DecisionTree;

/// <summary>A tool pattern in which <c>*</c> matches any run of characters (also none); nothing else is special.</summary>
internal sealed class Glob(string pattern)
{
    public string Pattern { get; } = pattern;

    public static bool IsGlob(string pattern) => pattern.Contains('*', StringComparison.Ordinal);

    /// <summary>Ordinal, linear-backtracking match; names and patterns are at most 128 characters.</summary>
    public bool IsMatch(ReadOnlySpan<char> name)
    {
        ReadOnlySpan<char> p = Pattern;
        int n = 0, i = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (i < p.Length && p[i] == '*')
            {
                star = i++;
                mark = n;
            }
            else if (i < p.Length && p[i] == name[n])
            {
                i++;
                n++;
            }
            else if (star >= 0)
            {
                i = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (i < p.Length && p[i] == '*')
        {
            i++;
        }

        return i == p.Length;
    }
}
