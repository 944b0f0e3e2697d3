using System.Runtime.CompilerServices;
using System.Text;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Evaluation;

/// <summary>
/// docs/policy-language.md#evaluating-a-call step 1: two names of one object that are equal ignoring case (as .NET's
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
