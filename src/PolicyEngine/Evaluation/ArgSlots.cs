using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PolicyEngine.Evaluation;

/// <summary>
/// A top-level argument name that a plan's paths read: its policy-wide id, and its UTF-8 bytes with a cheap
/// key (length, first and last byte) so that the validator's one pass over the arguments can spot it.
/// </summary>
internal readonly record struct ArgSlot(int Id, uint Key, byte[] Name, string Text)
{
    /// <summary>How many names one plan can have found in that pass; paths over further names look them up.</summary>
    public const int Capacity = 8;

    public static uint KeyOf(ReadOnlySpan<byte> name) =>
        name.IsEmpty ? 0 : ((uint)name.Length << 16) | ((uint)name[0] << 8) | name[^1];
}

/// <summary>
/// The top-level argument names one plan reads (at most <see cref="ArgSlot.Capacity"/>), indexed by the
/// bit of their key in a <see cref="KeyMask"/>: most argument names are rejected by one table read, and a
/// wanted one is compared once, with no scan over the slots.
/// </summary>
internal sealed class WantedArgs
{
    public static readonly WantedArgs None = new([]);

    private const sbyte NoSlot = -1, SharedBit = -2;

    private readonly ArgSlot[] _slots;
    private readonly sbyte[] _slotByBit = new sbyte[KeyMask.Bits];

    public WantedArgs(ArgSlot[] slots)
    {
        if (slots.Length > ArgSlot.Capacity)
        {
            throw new ArgumentException("More names than a plan can find in one pass.", nameof(slots));
        }

        _slots = slots;
        Ids = [.. slots.Select(s => s.Id)];
        Array.Fill(_slotByBit, NoSlot);
        for (int i = 0; i < slots.Length; i++)
        {
            ref sbyte entry = ref _slotByBit[KeyMask.Bit(slots[i].Key)];
            entry = entry == NoSlot ? (sbyte)i : SharedBit;
        }
    }

    public int Count => _slots.Length;

    /// <summary>The policy-wide ids of the names, in slot order.</summary>
    public int[] Ids { get; }

    /// <summary>The slot of a raw, unescaped name with key <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint key, ReadOnlySpan<byte> name)
    {
        int slot = _slotByBit[KeyMask.Bit(key)];
        if (slot >= 0)
        {
            var candidate = _slots[slot];
            return candidate.Key == key && name.SequenceEqual(candidate.Name) ? slot : NoSlot;
        }

        return slot == NoSlot ? NoSlot : Scan(key, name);
    }

    /// <summary>The slot of a decoded (once escaped) name, or -1.</summary>
    public int Find(string name)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (string.Equals(_slots[i].Text, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return NoSlot;
    }

    private int Scan(uint key, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Key == key && name.SequenceEqual(_slots[i].Name))
            {
                return i;
            }
        }

        return NoSlot;
    }
}

/// <summary>Slot lists equal when they hold the same names (ids) in the same order.</summary>
internal sealed class SlotIdsComparer : IEqualityComparer<ArgSlot[]>
{
    public static readonly SlotIdsComparer Instance = new();

    public bool Equals(ArgSlot[]? x, ArgSlot[]? y)
    {
        if (x is null || y is null || x.Length != y.Length)
        {
            return ReferenceEquals(x, y);
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (x[i].Id != y[i].Id)
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(ArgSlot[] obj)
    {
        var hash = default(HashCode);
        foreach (var slot in obj)
        {
            hash.Add(slot.Id);
        }

        return hash.ToHashCode();
    }
}

/// <summary>
/// A 128-bit set of name keys, hashed: a clear bit proves a key absent, so most names skip the exact comparison.
/// A set bit only means "compare".
/// </summary>
internal struct KeyMask
{
    public const int Bits = 128;

    private ulong _low, _high;

    public readonly bool MayContain(uint key)
    {
        int bit = Bit(key);
        return (((bit & 64) == 0 ? _low : _high) & (1UL << bit)) != 0;
    }

    public void Add(uint key)
    {
        int bit = Bit(key);
        if ((bit & 64) == 0)
        {
            _low |= 1UL << bit;
        }
        else
        {
            _high |= 1UL << bit;
        }
    }

    // Fibonacci hashing: the top 7 bits of the product spread keys that differ in any byte.
    public static int Bit(uint key) => (int)((key * 0x9E3779B1u) >> 25);
}

/// <summary>A top-level argument the validator found, with its kind (read once); undefined when absent.</summary>
internal readonly record struct FoundArg(JsonElement Element, JsonValueKind Kind);

/// <summary>The arguments the validator found for a plan's <see cref="WantedArgs"/>, on the stack.</summary>
[InlineArray(ArgSlot.Capacity)]
internal struct FoundArgs
{
    private FoundArg _first;
}
