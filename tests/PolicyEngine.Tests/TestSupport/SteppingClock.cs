namespace PolicyEngine.Tests.TestSupport;

/// <summary>
/// A clock that can be set to any time, earlier ones included, as a misbehaving host clock might. It can also run an
/// action once, at a chosen read of its timestamp: the engine reads its clock at known points, so the action stands in
/// for another thread acting exactly there.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;
    private Action? _trap;
    private int _skip;

    /// <summary>Whether the armed action has run.</summary>
    public bool Sprung { get; private set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Engine.Epoch + TimeSpan.FromTicks(Volatile.Read(ref _ticks));

    public override long GetTimestamp()
    {
        // One-shot: the action's own reads (a nested call, a reload, the cache's check) find it gone.
        if (Volatile.Read(ref _trap) is not null && Interlocked.Decrement(ref _skip) < 0 && Interlocked.Exchange(ref _trap, null) is { } trap)
        {
            Sprung = true;
            trap();
        }

        return Volatile.Read(ref _ticks);
    }

    /// <summary>Sets the time to <paramref name="seconds"/> after the start, forwards or backwards.</summary>
    public void Set(double seconds) => Volatile.Write(ref _ticks, TimeSpan.TicksPerDay + (long)(seconds * TimeSpan.TicksPerSecond));

    /// <summary>Runs <paramref name="trap"/> at the timestamp read after the next <paramref name="skip"/> ones.</summary>
    public void Arm(Action trap, int skip = 0)
    {
        _skip = skip;
        Volatile.Write(ref _trap, trap);
    }
}
