namespace PolicyEngine.Limits;

/// <summary>
/// The part of a limit that a reload may change while its counters are kept (docs/policy-language.md#reload): <c>max</c>,
/// and with it whether spends may be folded. One immutable object, swapped whole, so a counter reads a
/// consistent pair under its lock.
/// </summary>
internal sealed class LimitBounds
{
    /// <summary>Spends closer together than 1/64 of the window may fold into one entry, for limits that may be approximated.</summary>
    public const int Granularity = 64;

    /// <summary>Count limits up to this max are exact (docs/policy-language.md#limits).</summary>
    public const int ExactCountMax = 1000;

    public LimitBounds(decimal max, long window)
    {
        Max = max;
        MaxCount = (long)decimal.Truncate(max);
        Fold = max > ExactCountMax ? window / Granularity : 0;
    }

    public decimal Max { get; }

    /// <summary><see cref="Max"/> for count limits, whose max is whole.</summary>
    public long MaxCount { get; }

    /// <summary>How close (in timestamp units) a spend must be to the newest entry to fold into it; 0 for exact limits.</summary>
    public long Fold { get; }
}
