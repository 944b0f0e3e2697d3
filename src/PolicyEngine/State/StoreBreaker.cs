namespace PolicyEngine.State;

/// <summary>
/// Stops asking a store that failed: for <see cref="PolicyStateStore.BreakDuration"/> after a failure, calls that need
/// state are denied at once; then one call probes the store while the others keep being denied, and its answer closes
/// the breaker or opens it again. So a dead store costs one timeout per interval, not one per call. Lock-free.
/// Reads the system's monotonic clock, not the evaluator's: it measures a real outage, and a test's virtual clock never moves on its own.
/// </summary>
internal sealed class StoreBreaker(TimeSpan breakDuration)
{
    private static readonly TimeProvider RealTime = TimeProvider.System;
    private long _openUntil = long.MinValue; // system timestamp; MinValue: closed
    private int _probing;

    /// <summary>Whether the call may ask the store; when not, how long until it may.</summary>
    public bool TryPass(out TimeSpan wait)
    {
        long openUntil = Volatile.Read(ref _openUntil);
        wait = TimeSpan.Zero;
        if (openUntil == long.MinValue)
        {
            return true;
        }

        long now = RealTime.GetTimestamp();
        if (now < openUntil || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            wait = now < openUntil ? RealTime.GetElapsedTime(now, openUntil) : breakDuration;
            if (wait < TimeSpan.FromMilliseconds(1))
            {
                wait = TimeSpan.FromMilliseconds(1);
            }

            return false;
        }

        return true; // the one probe
    }

    public bool IsOpen => Volatile.Read(ref _openUntil) != long.MinValue;

    public void Succeeded()
    {
        if (Volatile.Read(ref _openUntil) != long.MinValue)
        {
            Volatile.Write(ref _openUntil, long.MinValue);
            Volatile.Write(ref _probing, 0);
        }
    }

    public void Failed()
    {
        Volatile.Write(ref _openUntil, RealTime.GetTimestamp() + (long)(breakDuration.TotalSeconds * RealTime.TimestampFrequency));
        Volatile.Write(ref _probing, 0);
    }
}
