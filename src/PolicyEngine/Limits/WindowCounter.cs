using System.Numerics;
using System.Runtime.CompilerServices;

namespace PolicyEngine.Limits;

/// <summary>
/// One sliding-window counter: the spends of allowed calls in the window, oldest first. The identity and
/// the lock live here; the arithmetic lives in <see cref="RingCounter{T}"/>, in <see cref="long"/> for count
/// limits and <see cref="decimal"/> for cost limits. Every member but <see cref="Id"/>, <see cref="Enter"/>,
/// <see cref="Exit"/>, <see cref="State"/> and <see cref="Key"/> must be used between <see cref="Enter"/> and
/// <see cref="Exit"/>.
/// </summary>
internal abstract class WindowCounter
{
    private static long s_nextId;

    protected WindowCounter(LimitState state, string key, long created)
    {
        State = state;
        Key = key;
        LastActivity = created;
    }

    /// <summary>Orders lock acquisition across counters so that two calls never wait on each other in a cycle.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    private int _held; // 1 while a call holds this counter's lock


    public LimitState State { get; }

    /// <summary>
    /// Takes this counter's lock: one compare-exchange when it is free, which is nearly always, since a counter
    /// is one session's or one value's. Held only for a few ring updates, never across a wait or a call out,
    /// so a waiter spins, then yields to the holder. Not reentrant: a call never locks one counter twice.
    /// </summary>
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }
    }

    /// <summary>Releases the lock; the write publishes everything done under it.</summary>
    public void Exit() => Volatile.Write(ref _held, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(); // past its spinning phase it yields, then sleeps, so a preempted holder gets to run
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    public string Key { get; }

    /// <summary>Set once the counter is dropped from its state; a call that finds it retired looks again.</summary>
    public bool Retired { get; set; }

    /// <summary>When the counter was created or last spent; read without the lock by expiry checks, re-checked under it.</summary>
    public long LastActivity { get; protected set; }

    /// <summary>Idle once a whole window has passed since creation or the last spend: then it holds nothing and can go.</summary>
    public bool IsIdle(long now, long window) => LastActivity <= now - window;

    /// <summary>
    /// Whether <paramref name="cost"/> fits at <paramref name="now"/>; when it does not, <paramref name="wait"/>
    /// is how long until it would (timestamp units), or -1 if it never can.
    /// </summary>
    public abstract bool TryFit(long now, decimal cost, out long wait);

    public abstract void Spend(long now, decimal cost);

    public static WindowCounter Create(LimitState state, string key, long created) =>
        state.Definition.Cost is null
            ? new RingCounter<long>(state, key, created)
            : new RingCounter<decimal>(state, key, created);
}

/// <summary>
/// A ring of (timestamp, amount) entries of allowed spends. Exact while it holds at most
/// <see cref="MaxEntries"/> entries, which a count limit with max ≤ 1,000 never exceeds. Limits that may
/// be approximated (spec §4: max over 1,000) fold a spend into the newest entry when it is less than
/// 1/64 of the window old, and the entry takes the later time: the window over-counts a little and
/// never under-counts, so no window ever holds more than max, and the ring stays small. Past
/// <see cref="MaxEntries"/>, the two oldest entries merge at the later time, in the same safe direction.
/// </summary>
internal sealed class RingCounter<T> : WindowCounter
    where T : struct, INumber<T>
{
    public const int MaxEntries = 1024;
    private const int Granularity = 64;

    private readonly long _window;
    private readonly long _fold; // 0 for exact limits
    private readonly T _max;
    private long[] _times = new long[4];
    private T[] _amounts = new T[4];
    private int _head;
    private int _count;
    private T _total;
    private long _deniedUntil = long.MinValue; // a denial of _deniedCost holds until then, unless something is spent
    private T _deniedCost;

    public RingCounter(LimitState state, string key, long created)
        : base(state, key, created)
    {
        _window = state.WindowTimestamp;
        _max = T.CreateTruncating(state.Definition.Max);
        _fold = state.Definition.Max > 1000 ? _window / Granularity : 0;
    }

    public override bool TryFit(long now, decimal cost, out long wait) => TryFit(now, T.CreateTruncating(cost), out wait);

    public override void Spend(long now, decimal cost) => Spend(now, T.CreateTruncating(cost));

    // The count path calls the three below on the sealed type, so they are direct calls the JIT inlines, with or without a profile.

    /// <summary><see cref="TryFit(long, decimal, out long)"/> for a count limit's spend of one, without converting a cost.</summary>
    public bool TryFitOne(long now, out long wait) => TryFit(now, T.One, out wait);

    /// <summary><see cref="Spend(long, decimal)"/> of one, for count limits.</summary>
    public void SpendOne(long now) => Spend(now, T.One);

    /// <summary>
    /// For count limits, readable without the lock: whether the last denial still holds at
    /// <paramref name="now"/>. Only time frees room, and the denial lasts exactly until the entry that frees it
    /// leaves the window; a spend since then (which clears it) only takes room, so a stale read never allows
    /// and at worst reports a shorter <paramref name="wait"/>.
    /// </summary>
    public bool IsStillDenied(long now, out long wait)
    {
        long until = Volatile.Read(ref _deniedUntil);
        wait = now < until ? until - now : 0;
        return wait > 0;
    }

    private bool TryFit(long now, T c, out long wait)
    {
        if (now < _deniedUntil && c == _deniedCost)
        {
            wait = _deniedUntil - now; // nothing was spent since the last denial, so the same entry frees the room
            return false;
        }

        Prune(now);
        if (_total + c <= _max)
        {
            wait = 0;
            return true;
        }

        wait = WaitFor(now, c);
        if (wait > 0)
        {
            _deniedCost = c;
            Volatile.Write(ref _deniedUntil, now + wait);
        }

        return false;
    }

    private void Spend(long now, T c)
    {
        if (c == T.Zero)
        {
            return;
        }

        LastActivity = now;
        Volatile.Write(ref _deniedUntil, long.MinValue);
        _total += c;
        int mask = _times.Length - 1;
        if (_count > 0)
        {
            int last = (_head + _count - 1) & mask;
            if (now - _times[last] <= _fold)
            {
                _amounts[last] += c; // same instant (exact), or folded forward in time (safe)
                _times[last] = now;
                return;
            }
        }

        if (_count == _times.Length)
        {
            if (_times.Length < MaxEntries)
            {
                Grow();
                mask = _times.Length - 1;
            }
            else
            {
                int next = (_head + 1) & mask;
                _amounts[next] += _amounts[_head];
                _head = next;
                _count--;
            }
        }

        int slot = (_head + _count) & mask;
        _times[slot] = now;
        _amounts[slot] = c;
        _count++;
    }

    /// <summary>Drops the spends that left the window: an entry at t is in the window at now iff t + window > now.</summary>
    private void Prune(long now)
    {
        long horizon = now - _window;
        while (_count > 0 && _times[_head] <= horizon)
        {
            _total -= _amounts[_head];
            _head = (_head + 1) & (_times.Length - 1);
            _count--;
        }

        if (_count == 0)
        {
            _total = T.Zero;
        }
    }

    private long WaitFor(long now, T cost)
    {
        if (cost > _max)
        {
            return -1;
        }

        T excess = _total + cost - _max;
        int mask = _times.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int at = (_head + i) & mask;
            excess -= _amounts[at];
            if (excess <= T.Zero)
            {
                return _times[at] + _window - now;
            }
        }

        return 0;
    }

    private void Grow()
    {
        var times = new long[_times.Length * 2];
        var amounts = new T[_times.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            int at = (_head + i) & (_times.Length - 1);
            times[i] = _times[at];
            amounts[i] = _amounts[at];
        }

        _times = times;
        _amounts = amounts;
        _head = 0;
    }
}
