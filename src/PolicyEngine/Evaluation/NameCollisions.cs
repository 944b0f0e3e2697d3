using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace PolicyEngine.Evaluation;

/// <summary>
/// Spec §7 step 1: two names of one object that are equal ignoring case (as .NET's
/// <see cref="StringComparison.OrdinalIgnoreCase"/>) make the call invalid, an exact repeat included: a binder
/// that ignores case reads both as one parameter, and the policy may have read the other.
/// </summary>
internal static class NameCollisions
{
    /// <summary>Up to this many names, collisions are found by pairwise comparison on the stack; beyond, with a set.</summary>
    public const int PairwiseLimit = 32;

    /// <summary>Names quoted in a message are cut to this many characters: the message must stay small.</summary>
    private const int QuotedLength = 64;

    /// <summary>
    /// The key of an ASCII name that is the same for every spelling of it in any letter case: ASCII letters differ
    /// from their other case only in bit 0x20, so the key's first and last bytes keep that bit set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FoldedKey(uint key) => key | 0x2020;

    /// <summary>The outcome for two colliding names: an exact repeat, or names that differ only in letter case.</summary>
    public static DecisionOutcome Collision(string first, string second) =>
        string.Equals(first, second, StringComparison.Ordinal) ? Outcomes.DuplicateKey : Outcomes.CaseVariants(Quote(first), Quote(second));

    /// <summary>Two raw ASCII names that collided in the pairwise check.</summary>
    public static DecisionOutcome Collision(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        first.SequenceEqual(second) ? Outcomes.DuplicateKey : Collision(Encoding.ASCII.GetString(first), Encoding.ASCII.GetString(second));

    private static string Quote(string name) => name.Length <= QuotedLength ? name : string.Concat(name.AsSpan(0, QuotedLength), "…");
}

/// <summary>An unescaped ASCII name already met in an object: its folded key, and where its raw bytes lie in the object's text.</summary>
internal readonly record struct SeenName(uint Key, int Start, int Length);

/// <summary>The ASCII names met so far in one object, up to <see cref="NameCollisions.PairwiseLimit"/>, on the stack.</summary>
[InlineArray(NameCollisions.PairwiseLimit)]
internal struct SeenNames
{
    private SeenName _first;

    /// <summary>The first name met that equals <paramref name="name"/> ignoring ASCII case, or -1.</summary>
    public readonly int Find(ReadOnlySpan<byte> objText, int count, uint key, ReadOnlySpan<byte> name)
    {
        ReadOnlySpan<SeenName> names = this;
        for (int i = 0; i < count; i++)
        {
            var seen = names[i];
            if (seen.Key == key && seen.Length == name.Length && Ascii.EqualsIgnoreCase(objText.Slice(seen.Start, seen.Length), name))
            {
                return i;
            }
        }

        return -1;
    }
}

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
