using System.Runtime.CompilerServices;
using System.Text;

namespace PolicyEngine.Evaluation;

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
