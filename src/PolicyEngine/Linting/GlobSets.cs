using PolicyEngine.DecisionTree;

namespace PolicyEngine.Linting;

/// <summary>Questions about the sets of names tool patterns match, for the entry checks.</summary>
internal static class GlobSets
{
    /// <summary>Whether <paramref name="pattern"/> matches the tool name <paramref name="name"/>.</summary>
    public static bool Matches(string pattern, string name) => new Glob(pattern).IsMatch(name);

    /// <summary>
    /// Whether every name <paramref name="inner"/> matches is matched by <paramref name="outer"/>: the outer pattern
    /// must match the inner one's text with each inner <c>*</c> falling inside an outer <c>*</c> (a literal
    /// character never matches a <c>*</c>, which stands for any run). When it says yes, it holds; so a finding
    /// built on it is never a false alarm.
    /// </summary>
    public static bool Covers(string outer, string inner) => Covers(outer.AsSpan(), inner.AsSpan());

    /// <summary>Whether the two patterns match exactly the same names.</summary>
    public static bool Same(string a, string b) => Covers(a, b) && Covers(b, a);

    private static bool Covers(ReadOnlySpan<char> outer, ReadOnlySpan<char> inner)
    {
        // Dynamic programming over (outer position, inner position): small (patterns are at most 128 characters).
        var reach = new bool[outer.Length + 1, inner.Length + 1];
        reach[0, 0] = true;
        for (var i = 0; i <= outer.Length; i++)
        {
            for (var j = 0; j <= inner.Length; j++)
            {
                if (!reach[i, j])
                {
                    continue;
                }

                if (i < outer.Length && outer[i] == '*')
                {
                    reach[i + 1, j] = true; // the outer star matches nothing more
                    if (j < inner.Length)
                    {
                        reach[i, j + 1] = true; // it absorbs one inner character or star
                    }
                }
                else if (i < outer.Length && j < inner.Length && inner[j] != '*' && outer[i] == inner[j])
                {
                    reach[i + 1, j + 1] = true;
                }
            }
        }

        return reach[outer.Length, inner.Length];
    }
}
