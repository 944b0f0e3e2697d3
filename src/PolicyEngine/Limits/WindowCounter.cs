namespace PolicyEngine.Limits;

/// <summary>
/// One sliding-window counter: the spends of allowed calls in the window, oldest first. The identity lives
/// here; the lock and the arithmetic live in <see cref="RingCounter{T}"/>, in <see cref="long"/> for count
/// limits and <see cref="decimal"/> for cost limits. Every member but <see cref="Id"/>, <see cref="State"/>,
/// <see cref="Key"/>, <see cref="LastActivity"/>, <see cref="Enter"/> and <see cref="Exit"/> must be used between
/// <see cref="Enter"/> and <see cref="Exit"/>.
/// </summary>
internal abstract class WindowCounter
{
    private static long s_nextId;

    protected WindowCounter(LimitState state, string key)
    {
        State = state;
        Key = key;
    }

    /// <summary>Orders lock acquisition across counters so that two calls never wait on each other in a cycle.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public LimitState State { get; }

    public string Key { get; }

    /// <summary>Set once the counter is dropped from its state; a call that finds it retired looks again.</summary>
    public bool Retired { get; set; }

    /// <summary>When the counter was created or last spent; read without the lock by expiry checks, re-checked under it.</summary>
    public abstract long LastActivity { get; }

    /// <summary>
    /// Idle once it holds nothing and can go: a whole sliding window has passed since creation or the last spend,
    /// or the calendar unit of that moment has ended. Reads the limit's own clock (<see cref="LimitState.Now"/>).
    /// </summary>
    public bool IsIdle()
    {
        var state = State;
        long now = state.Now;
        long window = state.WindowTimestamp;
        return state.Calendar ? LastActivity < now - (now % window) : LastActivity <= now - window;
    }

    /// <summary>
    /// Takes this counter's lock. It is held only for a few ring updates, never across a wait or a call out,
    /// and it is not reentrant: a call never locks one counter twice.
    /// </summary>
    public abstract void Enter();

    /// <summary>Releases the lock; the write publishes everything done under it.</summary>
    public abstract void Exit();

    /// <summary>
    /// Whether <paramref name="cost"/> fits at <paramref name="now"/>; when it does not, <paramref name="wait"/>
    /// is how long until it would (timestamp units), or -1 if it never can.
    /// </summary>
    public abstract bool TryFitUnsynchronized(long now, decimal cost, out long wait);

    /// <summary>Spends <paramref name="cost"/>; returns the time the spend is recorded at (never earlier than the newest entry).</summary>
    public abstract long SpendUnsynchronized(long now, decimal cost);

    /// <summary>
    /// Removes a spend of <paramref name="amount"/> recorded at <paramref name="at"/> (by <see cref="SpendUnsynchronized"/>), if it
    /// is still in the window: once only per spend, which <see cref="SpendReceipt"/> ensures.
    /// </summary>
    public abstract void RefundUnsynchronized(long at, decimal amount);

    /// <summary>Drops the remembered last denial, which was judged against bounds that have changed.</summary>
    public abstract void ForgetDenialUnsynchronized();

    /// <summary>Whether nothing has been spent in the counter since it was made (so dropping it loses nothing).</summary>
    public abstract bool IsEmpty { get; }

    public static WindowCounter Create(LimitState state, string key, long created) =>
        state.CountsCost
            ? new RingCounter<decimal>(state, key, created)
            : new RingCounter<long>(state, key, created);
}
