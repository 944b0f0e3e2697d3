namespace PolicyEngine.Cli;

/// <summary>
/// The virtual clock of <c>eval</c> (docs/policy-language.md#command-line): seconds since 2026-01-01T00:00:00Z, moved only by the steps'
/// <c>at</c> and never backwards. Timestamps tick in <see cref="TimeSpan.Ticks"/> so that durations the engine
/// derives from them (retry-after) are exact.
/// </summary>
internal sealed class VirtualClock : TimeProvider
{
    /// <summary>Time 0 of the virtual clock.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The largest <c>at</c> accepted: 1e10 s, about 317 years, far inside <see cref="DateTimeOffset"/>.</summary>
    public const decimal MaxSeconds = 10_000_000_000m;

    private long _elapsedTicks;

    /// <summary>The time now, in seconds since <see cref="Epoch"/>.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Volatile.Read(ref _elapsedTicks));

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(Volatile.Read(ref _elapsedTicks));

    // Offset by the epoch so that no timestamp is ever 0, a value engines sometimes read as "never".
    /// <inheritdoc />
    public override long GetTimestamp() => Epoch.UtcTicks + Volatile.Read(ref _elapsedTicks);

    /// <summary>
    /// Moves the clock to <paramref name="seconds"/> after the epoch. An earlier time leaves the clock where it is:
    /// the clock never goes backwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is above <see cref="MaxSeconds"/>.</exception>
    public void AdvanceTo(decimal seconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, MaxSeconds);
        if (seconds <= 0)
        {
            return;
        }

        // decimal keeps a fractional "at" such as 12.5 exact down to the 100 ns tick; finer digits are truncated.
        var ticks = decimal.ToInt64(decimal.Truncate(seconds * TimeSpan.TicksPerSecond));
        if (ticks > Volatile.Read(ref _elapsedTicks))
        {
            Volatile.Write(ref _elapsedTicks, ticks);
        }
    }
}
