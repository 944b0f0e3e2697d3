namespace PolicyEngine.Tests.TestSupport;

/// <summary>A clock that can be set to any time, earlier ones included, as a misbehaving host clock might.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Engine.Epoch + TimeSpan.FromTicks(_ticks);

    public override long GetTimestamp() => _ticks;

    /// <summary>Sets the time to <paramref name="seconds"/> after the start, forwards or backwards.</summary>
    public void Set(double seconds) => _ticks = TimeSpan.TicksPerDay + (long)(seconds * TimeSpan.TicksPerSecond);
}
