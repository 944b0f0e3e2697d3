using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PolicyEngine.Evaluation;

/// <summary>
/// Decoded names of one object, checked as they come: pairwise with .NET's own ordinal-ignore-case equality up
/// to <see cref="NameCollisions.PairwiseLimit"/> names (nothing allocated), then in a set with that comparer
/// (its hashes are randomized, so no input makes it quadratic).
/// </summary>
internal struct NameSet
{
    private Names _names;
    private int _count;
    private Dictionary<string, string>? _set;

    /// <summary>The collision <paramref name="name"/> makes with a name added before, or <see langword="null"/>.</summary>
    public DecisionOutcome? Add(string name)
    {
        if (_set is null)
        {
            ReadOnlySpan<string> names = _names;
            foreach (var seen in names[.._count])
            {
                if (string.Equals(seen, name, StringComparison.OrdinalIgnoreCase))
                {
                    return NameCollisions.Collision(seen, name);
                }
            }

            if (_count < NameCollisions.PairwiseLimit)
            {
                _names[_count++] = name;
                return null;
            }

            _set = new Dictionary<string, string>(2 * NameCollisions.PairwiseLimit, StringComparer.OrdinalIgnoreCase);
            foreach (var seen in names)
            {
                _set.Add(seen, seen);
            }
        }

        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_set, name, out bool exists);
        if (exists)
        {
            return NameCollisions.Collision(first!, name);
        }

        first = name;
        return null;
    }

    [InlineArray(NameCollisions.PairwiseLimit)]
    private struct Names
    {
        private string _first;
    }
}
