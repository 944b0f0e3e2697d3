using System.Runtime.InteropServices;

namespace PolicyEngine.Limits;

/// <summary>
/// The fields of a <see cref="RingCounter{T}"/> that every call writes, between two cache lines of padding.
/// Counters of sessions that start together are allocated side by side; without the padding, one core's
/// writes to its counter keep invalidating the line where another core reads its own (false sharing), and two
/// threads on distinct sessions measured slower than one. Sequential layout keeps the padding at both ends.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CounterCells<T>
    where T : struct
{
#pragma warning disable CS0169 // padding: never read, only there to keep other objects off these lines
    private CacheLine _before;
#pragma warning restore CS0169

    /// <summary>1 while a call holds the counter's lock.</summary>
    public int Held;

    public int Head;

    public int Count;

    /// <summary>When the counter was created or last spent.</summary>
    public long LastActivity;

    /// <summary>A denial of <see cref="DeniedCost"/> holds until then, unless something is spent.</summary>
    public long DeniedUntil;

    /// <summary>The time of the newest entry pruned: a spend at or before it has left the window (see <see cref="RingCounter{T}.RefundUnsynchronized(long, decimal)"/>).</summary>
    public long PrunedThrough;

    /// <summary>When the newest entry's first spend was: a spend folds into that entry only within one fold of it.</summary>
    public long NewestStart;

    public T Total;

    public T DeniedCost;

#pragma warning disable CS0169
    private CacheLine _after;
#pragma warning restore CS0169
}
