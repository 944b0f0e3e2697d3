namespace PolicyEngine.Arguments;

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
