using System.Runtime.InteropServices;

namespace PolicyEngine.DecisionTree;

/// <summary>Compares arrays of ids by content, also against a span, so a lookup needs no array.</summary>
internal sealed class IdsComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
{
    public static readonly IdsComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => x is null || y is null ? ReferenceEquals(x, y) : x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] obj) => GetHashCode((ReadOnlySpan<int>)obj);

    public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<int> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(MemoryMarshal.AsBytes(alternate));
        return hash.ToHashCode();
    }

    public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();
}
