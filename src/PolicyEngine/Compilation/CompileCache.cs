using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using PolicyEngine.DecisionTree.Conditions;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Compilation;

/// <summary>
/// Parts of one document's compiled tree that are immutable and so may be shared: a large policy repeats
/// the same paths, literal lists and patterns across thousands of tools, and each is built only once.
/// </summary>
internal sealed class CompileCache
{
    private readonly Dictionary<string, ValuePath> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<(Literal[] Literals, bool IgnoreCase, LiteralSet Set)>> _literalSets = [];

    private readonly Dictionary<(ValuePath, bool), ExistsCondition> _exists = [];
    private readonly Dictionary<(ValuePath, LiteralSet, bool), EqualityCondition> _equalities = [];

    // NonBacktracking construction is the costly part of compiling a regex.
    private readonly Dictionary<(string, RegexOptions), Regex> _regexes = [];

    /// <summary>The parsed path, or null with the parser's error; only successes are kept.</summary>
    public ValuePath? Path(string text, out string error)
    {
        error = "";
        if (_paths.TryGetValue(text, out var path))
        {
            return path;
        }

        if (!PathParser.TryParse(text, out path, out error))
        {
            return null;
        }

        _paths.Add(text, path!);
        return path;
    }

    public LiteralSet LiteralSet(ReadOnlySpan<Literal> literals, bool ignoreCase)
    {
        var hash = default(HashCode);
        hash.Add(ignoreCase);
        foreach (var literal in literals)
        {
            hash.Add(literal);
        }

        // Equal when every literal is equal, in order (a literal's number derives from its text).
        ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_literalSets, hash.ToHashCode(), out _);
        foreach (var (known, knownIgnoreCase, set) in bucket ??= [])
        {
            if (knownIgnoreCase == ignoreCase && literals.SequenceEqual(known))
            {
                return set;
            }
        }

        var copy = literals.ToArray();
        var created = new LiteralSet(copy, ignoreCase);
        bucket.Add((copy, ignoreCase, created));
        return created;
    }

    /// <summary>One node per path and expectation; the path comes from <see cref="Path"/>, so same text is same instance.</summary>
    public ExistsCondition Exists(ValuePath path, bool expected)
    {
        ref var condition = ref CollectionsMarshal.GetValueRefOrAddDefault(_exists, (path, expected), out _);
        return condition ??= new ExistsCondition(path, expected);
    }

    /// <summary>One node per path, literal set (both shared already) and sense.</summary>
    public EqualityCondition Equality(ValuePath path, LiteralSet literals, bool negate)
    {
        ref var condition = ref CollectionsMarshal.GetValueRefOrAddDefault(_equalities, (path, literals, negate), out _);
        return condition ??= new EqualityCondition(path, literals, negate);
    }

    /// <summary>The compiled pattern; throws as <see cref="System.Text.RegularExpressions.Regex"/>'s constructor does.</summary>
    public Regex Regex(string pattern, RegexOptions options)
    {
        if (!_regexes.TryGetValue((pattern, options), out var regex))
        {
            _regexes[(pattern, options)] = regex = new Regex(pattern, options);
        }

        return regex;
    }
}
