namespace PolicyEngine.Redis.Internal;

/// <summary>The scripts' time unit: integer microseconds, since the Unix epoch for instants (exact in a Lua double until year 2255).</summary>
internal static class Microseconds
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long Of(DateTimeOffset instant)
    {
        long ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, "The clock reads before 1970; the Redis store counts time from the Unix epoch.");
        }

        return ticks / TicksPerMicrosecond;
    }

    /// <summary>A span in whole microseconds, rounded down (windows and folds are whole in practice: 1/64 of a second is 15,625 µs).</summary>
    public static long Of(TimeSpan span) => span.Ticks / TicksPerMicrosecond;

    public static TimeSpan ToTimeSpan(long microseconds) => TimeSpan.FromTicks(microseconds * TicksPerMicrosecond);

    public static DateTimeOffset ToInstant(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * TicksPerMicrosecond);
}
