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

    /// <summary>The index of <paramref name="name"/> (raw, unescaped UTF-8) in <paramref name="slots"/>, or -1.</summary>
    public static int IndexOf(ArgSlot[] slots, uint key, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i].Key == key && name.SequenceEqual(slots[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of a decoded (once escaped) name in <paramref name="slots"/>, or -1.</summary>
    public static int IndexOf(ArgSlot[] slots, string name)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            if (string.Equals(slots[i].Text, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// A 128-bit set of name keys, hashed: a clear bit proves a key absent, so most names skip the exact comparison
/// (duplicate checks, wanted names). A set bit only means "compare".
/// </summary>
internal struct KeyMask
{
    private ulong _low, _high;

    public static KeyMask Of(IEnumerable<ArgSlot> slots)
    {
        var mask = default(KeyMask);
        foreach (var slot in slots)
        {
            mask.Add(slot.Key);
        }

        return mask;
    }

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
    private static int Bit(uint key) => (int)((key * 0x9E3779B1u) >> 25);
}

/// <summary>A top-level argument the validator found, with its kind (read once); undefined when absent.</summary>
internal readonly record struct FoundArg(JsonElement Element, JsonValueKind Kind);

/// <summary>The arguments the validator found for a plan's <see cref="ArgSlot"/>s, on the stack.</summary>
[InlineArray(ArgSlot.Capacity)]
internal struct FoundArgs
{
    private FoundArg _first;
}
