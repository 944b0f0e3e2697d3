namespace PolicyEngine;

/// <summary>
/// What one call spends on one limit's counter (docs/policy-language.md#limits): the counter, its window and max, and the amount. The engine
/// makes these; a <see cref="PolicyStateStore"/> reads them.
/// </summary>
public readonly struct LimitCharge
{
    /// <summary>Creates a charge.</summary>
    /// <param name="limit">The limit's stable id.</param>
    /// <param name="partition">The counter within the limit.</param>
    /// <param name="window">The sliding window, or the calendar unit's length.</param>
    /// <param name="calendar">Whether the window is a calendar unit.</param>
    /// <param name="max">The most the window may hold.</param>
    /// <param name="cost">What this call spends (≥ 0).</param>
    /// <param name="fold">How close spends may fold together (zero: exact).</param>
    /// <param name="refundable">Whether the call's receipt covers this spend.</param>
    public LimitCharge(string limit, string partition, TimeSpan window, bool calendar, decimal max, decimal cost, TimeSpan fold, bool refundable)
    {
        Limit = limit;
        Partition = partition;
        Window = window;
        Calendar = calendar;
        Max = max;
        Cost = cost;
        Fold = fold;
        Refundable = refundable;
    }

    /// <summary>
    /// The limit's stable id: a digest of what a reload matches a limit by (its block, window, <c>per</c> and <c>cost</c>;
    /// docs/policy-language.md#reload), the same in every process, so a reload and a restart keep the counters of an unchanged limit.
    /// Never holds <c>max</c>, which applies at once when a reload changes it.
    /// </summary>
    public string Limit { get; }

    /// <summary>
    /// Which counter of the limit: the session id, the empty string for a global limit, or the <c>per</c> value's
    /// canonical JSON (a long one as its SHA-256). At most 128 characters plus a prefix; a store may digest it further.
    /// </summary>
    public string Partition { get; }

    /// <summary>The sliding window <c>(t − window, t]</c>, or, when <see cref="Calendar"/>, the length of the UTC calendar unit (minute, hour or day) that empties at its end.</summary>
    public TimeSpan Window { get; }

    /// <summary>Whether the window is a calendar unit (docs/policy-language.md#limits) rather than a sliding window.</summary>
    public bool Calendar { get; }

    /// <summary>The most the window may hold: calls, or the sum of costs.</summary>
    public decimal Max { get; }

    /// <summary>What this call spends: 1 for a count limit, the <c>cost</c> value for a cost limit. Exact, ≥ 0.</summary>
    public decimal Cost { get; }

    /// <summary>
    /// Limits that may be approximated (docs/policy-language.md#limits: max over 1,000) fold a spend into the newest entry when that entry's
    /// first spend is at most this long ago, and the entry takes the later time (the window over-counts, never under-counts).
    /// Zero for exact limits.
    /// </summary>
    public TimeSpan Fold { get; }

    /// <summary>Whether the call's <see cref="StateReceipt"/> covers this spend (<see cref="PolicyEngineOptions.Refunds"/>).</summary>
    public bool Refundable { get; }
}
