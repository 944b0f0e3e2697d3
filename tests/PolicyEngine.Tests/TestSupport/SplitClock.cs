namespace PolicyEngine.Tests.TestSupport;

/// <summary>A clock whose wall time and monotonic timestamp move separately, as they do when an operator or NTP sets the wall clock.</summary>
internal sealed class SplitClock : TimeProvider
{
    private DateTimeOffset _wall = Engine.Epoch;
    private long _ticks = 1;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _wall;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by)
    {
        _wall += by;
        _ticks += by.Ticks;
    }

    public void SetWallClock(DateTimeOffset wall) => _wall = wall;
}
