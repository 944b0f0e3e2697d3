namespace PolicyEngine.Testing;

/// <summary>
/// The virtual clock of a policy test: seconds since 2026-01-01T00:00:00Z, moved only by the steps' <c>at</c> and
/// never backwards (the same clock as <c>policyengine eval</c>, docs/policy-language.md#command-line). Ticks are exact, so the retry-after a
/// test expects does not drift with floating point.
/// </summary>
internal sealed class TestClock : TimeProvider
{
    /// <summary>Time 0.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The largest <c>at</c> accepted: 1e10 s, about 317 years, far inside <see cref="DateTimeOffset"/>.</summary>
    public const decimal MaxSeconds = 10_000_000_000m;

    private long _elapsedTicks;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(_elapsedTicks);

    // Offset by the epoch so that no timestamp is ever 0, a value engines sometimes read as "never".
    /// <inheritdoc />
    public override long GetTimestamp() => Epoch.UtcTicks + _elapsedTicks;

    /// <summary>Moves the clock to <paramref name="seconds"/> after the epoch; an earlier time leaves it where it is.</summary>
    public void AdvanceTo(decimal seconds)
    {
        var ticks = decimal.ToInt64(decimal.Truncate(Math.Clamp(seconds, 0, MaxSeconds) * TimeSpan.TicksPerSecond));
        _elapsedTicks = Math.Max(_elapsedTicks, ticks);
    }
}
