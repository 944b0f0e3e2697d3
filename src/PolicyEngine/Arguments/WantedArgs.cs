using System.Runtime.CompilerServices;

namespace PolicyEngine.Arguments;

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
