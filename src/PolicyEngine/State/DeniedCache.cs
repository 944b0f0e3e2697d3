using System.Collections.Concurrent;

namespace PolicyEngine.State;

/// <summary>
/// The local fast path in front of a shared store: a counter that denied a call with a retry-after of R is remembered
/// as denied for that same cost and max until then, so a flood against an exhausted limit costs no round trip. It only
/// ever denies, and only what the store itself would deny, except that a refund or a reload made by another replica is
/// seen here only when the remembered denial ends (at most R later). Only calls with one limit are remembered: with
/// several, which limit reports the denial changes as their windows move. Bounded: at the cap, expired entries are
/// dropped, and if none were, new denials are not remembered.
/// </summary>
internal sealed class DeniedCache(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sweep = new();

    public int Count => _entries.Count;

    private static string KeyOf(in LimitCharge charge) => string.Concat(charge.Limit, "\n", charge.Partition);

    public bool IsDenied(in LimitCharge charge, out TimeSpan wait)
    {
        wait = default;
        if (_entries.IsEmpty || !_entries.TryGetValue(KeyOf(charge), out var entry) || entry.Cost != charge.Cost || entry.Max != charge.Max)
        {
            return false;
        }

        long now = time.GetTimestamp();
        if (now >= entry.Until)
        {
            return false;
        }

        wait = time.GetElapsedTime(now, entry.Until);
        return true;
    }

    public void Remember(in LimitCharge charge, TimeSpan retryAfter)
    {
        long until = time.GetTimestamp() + (long)((decimal)retryAfter.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond);
        if (_entries.Count >= capacity && !Sweep())
        {
            return;
        }

        _entries[KeyOf(charge)] = new Entry(until, charge.Cost, charge.Max);
    }

    public void Forget(in LimitCharge charge) => _entries.TryRemove(KeyOf(charge), out _);

    public void Clear() => _entries.Clear();

    /// <summary>Drops expired entries; whether there is room after. One sweeper at a time; the others just skip remembering.</summary>
    private bool Sweep()
    {
        if (!_sweep.TryEnter())
        {
            return false;
        }

        try
        {
            long now = time.GetTimestamp();
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }

            return _entries.Count < capacity;
        }
        finally
        {
            _sweep.Exit();
        }
    }

    private sealed record Entry(long Until, decimal Cost, decimal Max);
}
