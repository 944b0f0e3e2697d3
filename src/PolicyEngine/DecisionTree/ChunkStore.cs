using System.Runtime.CompilerServices;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// Hands out ranges of shared arrays while one policy is built, so that tens of thousands of small parts (a
/// block's rules, a plan's blocks and limits) are ranges of a few arrays, not arrays of their own. Chunks double
/// from 64 items up to about 128 KiB, which the large object heap holds and collections do not copy; a request
/// larger than that gets an array of its own. A range is written once, by whoever took it, and never again.
/// </summary>
internal sealed class ChunkStore<T>
{
    private static readonly int MaxItems = 128 * 1024 / Unsafe.SizeOf<T>();
    private T[] _chunk = [];
    private int _used;

    /// <summary>Room for <paramref name="items"/>, copied in; returns the array and sets where they start.</summary>
    public T[] Keep(ReadOnlySpan<T> items, out int start)
    {
        var array = Take(items.Length, out start);
        items.CopyTo(array.AsSpan(start));
        return array;
    }

    /// <summary>Room for <paramref name="count"/> items, which the caller writes from <paramref name="start"/> on.</summary>
    public T[] Take(int count, out int start)
    {
        if (count == 0)
        {
            start = 0;
            return [];
        }

        if (_chunk.Length - _used < count)
        {
            _chunk = new T[Math.Max(count, Math.Min(MaxItems, Math.Max(64, _chunk.Length * 2)))];
            _used = 0;
        }

        start = _used;
        _used += count;
        return _chunk;
    }
}
