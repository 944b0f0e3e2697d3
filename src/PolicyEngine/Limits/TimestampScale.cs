namespace PolicyEngine.Limits;

/// <summary>
/// Converts between <see cref="TimeSpan"/> ticks and a <see cref="TimeProvider"/>'s timestamp units, exactly.
/// The common frequencies (100 ns ticks, 1 ns Stopwatch ticks) are whole multiples of each other and take
/// one integer multiply or divide; only an odd frequency pays for 128-bit arithmetic.
/// </summary>
internal readonly struct TimestampScale
{
    private readonly long _frequency;
    private readonly long _up;   // timestamp units per TimeSpan tick, when whole
    private readonly long _down; // TimeSpan ticks per timestamp unit, when whole

    public TimestampScale(long frequency)
    {
        _frequency = frequency;
        _up = frequency % TimeSpan.TicksPerSecond == 0 ? frequency / TimeSpan.TicksPerSecond : 0;
        // Stryker disable once Arithmetic : the remainder made a product turns the divisor fast path off, which is equivalent
        // (the 128-bit path gives the same, as said below); the quotient made a product is killed by TimestampScaleTests.
        _down = _up == 0 && TimeSpan.TicksPerSecond % frequency == 0 ? TimeSpan.TicksPerSecond / frequency : 0;
    }

    // Stryker disable once Conditional : equivalent. The divisor fast path gives what the 128-bit path below gives.
    public long ToTimestamp(TimeSpan span) =>
        _up != 0 ? span.Ticks * _up
        : _down != 0 ? span.Ticks / _down
        : (long)((Int128)span.Ticks * _frequency / TimeSpan.TicksPerSecond);

    /// <summary>Rounds up: a retry-after that is a fraction of a tick early would be refused.</summary>
    // Stryker disable once Conditional : equivalent. The divisor fast path gives what the 128-bit path below gives.
    public TimeSpan ToTimeSpan(long timestamp) =>
        TimeSpan.FromTicks(
            _up != 0 ? (timestamp + _up - 1) / _up
            : _down != 0 ? timestamp * _down
            : (long)(((Int128)timestamp * TimeSpan.TicksPerSecond + _frequency - 1) / _frequency));
}
