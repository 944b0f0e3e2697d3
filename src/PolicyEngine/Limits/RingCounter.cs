using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace PolicyEngine.Limits;

/// <summary>
/// A ring of (timestamp, amount) entries of allowed spends. Exact while it holds at most
/// <see cref="MaxEntries"/> entries, which a count limit with max ≤ 1,000 never exceeds. Limits that may
/// be approximated (docs/policy-language.md#limits: max over 1,000) fold a spend into the newest entry when it is less than
/// 1/64 of the window old, and the entry takes the later time: the window over-counts a little and
/// never under-counts, so no window ever holds more than max, and the ring stays small. Past
/// <see cref="MaxEntries"/>, the two oldest entries merge at the later time, in the same safe direction.
/// The max comes from the state's <see cref="LimitBounds"/>, read under the lock, so a reload's new max
/// applies at once. A counter's time never goes backwards: a clock read earlier than its newest entry
/// counts as that entry's time, so a provider that steps back can never move spends out of the window.
/// A calendar window (docs/policy-language.md#limits) keeps the same ring in UTC ticks: an entry leaves when its unit ends, and every
/// spend of one unit folds into one entry, which is exact because they all leave at the same boundary.
/// </summary>
internal sealed class RingCounter<T> : WindowCounter
    where T : struct, INumber<T>
{
    public const int MaxEntries = 1024;

    private readonly long _window; // for a calendar window, the unit's length in ticks
    private readonly bool _calendar;
    private long[] _times = new long[4];
    private T[] _amounts = new T[4];
    private CounterCells<T> _cells; // everything a call writes, padded away from other objects

    public RingCounter(LimitState state, string key, long created)
        : base(state, key)
    {
        _window = state.WindowTimestamp;
        _calendar = state.Calendar;
        _cells.LastActivity = created;
        _cells.DeniedUntil = long.MinValue;
        _cells.PrunedThrough = long.MinValue;
    }

    public override long LastActivity => _cells.LastActivity;

    public override bool IsEmpty => _cells.Count == 0 && _cells.Total == T.Zero;

    public override void ForgetDenialUnsynchronized() => Volatile.Write(ref _cells.DeniedUntil, long.MinValue);

    // The count path calls members on this sealed type, so Enter, Exit and the ones below are direct calls the
    // JIT inlines, with or without a profile.

    /// <summary>One compare-exchange when the lock is free, which is nearly always: a counter is one session's or one value's.</summary>
    public override void Enter()
    {
        if (Interlocked.CompareExchange(ref _cells.Held, 1, 0) != 0)
        {
            EnterContended();
        }
    }

    public override void Exit() => Volatile.Write(ref _cells.Held, 0);

    public override bool TryFitUnsynchronized(long now, decimal cost, out long wait) => TryFitUnsynchronized(now, T.CreateTruncating(cost), out wait);

    public override long SpendUnsynchronized(long now, decimal cost) => SpendUnsynchronized(now, T.CreateTruncating(cost));

    /// <summary><see cref="TryFitUnsynchronized(long, decimal, out long)"/> for a count limit's spend of one, without converting a cost.</summary>
    public bool TryFitOneUnsynchronized(long now, out long wait) => TryFitUnsynchronized(now, T.One, out wait);

    /// <summary><see cref="SpendUnsynchronized(long, decimal)"/> of one, for count limits.</summary>
    public long SpendOneUnsynchronized(long now) => SpendUnsynchronized(now, T.One);

    /// <summary>
    /// Amounts only ever move forward in time (a fold moves an entry later; a merge adds the oldest entry to the next),
    /// and entries before the one that holds a spend made at <paramref name="at"/> are all earlier than it: so that spend
    /// is in the first entry at or after <paramref name="at"/>, unless an entry at or after it was pruned, in which case it
    /// has left the window and there is nothing to give back. Exact limits remove exactly the spend from its entry. In a
    /// folded entry (max over 1,000) the amount is exact too; the entry's remaining spends keep its later time, the safe
    /// direction, as before the refund.
    /// </summary>
    public override void RefundUnsynchronized(long at, decimal amount)
    {
        if (at <= _cells.PrunedThrough)
        {
            return;
        }

        T give = T.CreateTruncating(amount);
        int mask = _times.Length - 1;
        for (int i = 0;
            // Stryker disable once Equality : equivalent. An entry at or after at is among the Count (its pruning would have returned above): i never reaches Count.
            i < _cells.Count; i++)
        {
            int slot = (_cells.Head + i) & mask;
            if (_times[slot] >= at)
            {
                T take = T.Min(give, _amounts[slot]);
                _amounts[slot] -= take;
                _cells.Total -= take;
                ForgetDenialUnsynchronized(); // the room it frees may let the denied cost through now
                // Stryker disable once Statement : a debug-only check, compiled out of the release build.
                AssertInvariants();
                return;
            }
        }
    }

    /// <summary>
    /// For count limits, readable without the lock: whether the last denial still holds at
    /// <paramref name="now"/>. Only time frees room, and the denial lasts exactly until the entry that frees it
    /// leaves the window; a spend since then (which clears it) only takes room, so a stale read never allows
    /// and at worst reports a shorter <paramref name="wait"/>.
    /// </summary>
    public bool IsStillDenied(long now, out long wait)
    {
        long until = Volatile.Read(ref _cells.DeniedUntil);
        wait = now < until ? until - now : 0;
        return wait > 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(); // past its spinning phase it yields, then sleeps, so a preempted holder gets to run
        }
        while (Volatile.Read(ref _cells.Held) != 0 || Interlocked.CompareExchange(ref _cells.Held, 1, 0) != 0);
    }

    /// <summary>The max in force, as <typeparamref name="T"/>: count limits read the whole number without a decimal conversion.</summary>
    private T Max
    {
        get
        {
            var bounds = State.Bounds;
            if (typeof(T) == typeof(long))
            {
                long max = bounds.MaxCount;
                return Unsafe.As<long, T>(ref max);
            }

            return T.CreateTruncating(bounds.Max);
        }
    }

    /// <summary>Never earlier than the newest entry (or the creation): see the type's summary.</summary>
    private long Clamp(long now) => now < _cells.LastActivity ? _cells.LastActivity : now;

    private bool TryFitUnsynchronized(long now, T c, out long wait)
    {
        now = Clamp(now);
        if (now < _cells.DeniedUntil && c == _cells.DeniedCost)
        {
            wait = _cells.DeniedUntil - now; // nothing was spent since the last denial, so the same entry frees the room
            return false;
        }

        Prune(now);
        T max = Max;
        if (_cells.Total + c <= max)
        {
            wait = 0;
            return true;
        }

        wait = WaitFor(now, c, max);
        if (wait > 0)
        {
            _cells.DeniedCost = c;
            Volatile.Write(ref _cells.DeniedUntil, now + wait);
        }

        return false;
    }

    private long SpendUnsynchronized(long now, T c)
    {
        if (c == T.Zero)
        {
            return now;
        }

        now = Clamp(now);
        _cells.LastActivity = now;
        Volatile.Write(ref _cells.DeniedUntil, long.MinValue);
        _cells.Total += c;
        int mask = _times.Length - 1;
        if (_cells.Count > 0)
        {
            int last = (_cells.Head + _cells.Count - 1) & mask;
            // Measured from the entry's first spend, not its (moving) time: otherwise steady demand keeps folding into
            // one entry whose oldest spends stay counted a whole window too long, and the limit admits far less than max.
            // Stryker disable once Arithmetic : equivalent. Spends of one calendar unit all leave at its end, so whether they
            // share an entry or not changes no decision (at 1,024 entries the two oldest merge, within the same unit).
            if (_calendar ? now / _window == _times[last] / _window : now - _cells.NewestStart <= State.Bounds.Fold)
            {
                _amounts[last] += c; // same instant or calendar unit (exact), or folded forward in time (safe)
                _times[last] = now;
                AssertInvariants();
                return now;
            }
        }

        if (_cells.Count == _times.Length)
        {
            if (_times.Length < MaxEntries)
            {
                Grow();
                mask = _times.Length - 1;
            }
            else
            {
                int next = (_cells.Head + 1) & mask;
                _amounts[next] += _amounts[_cells.Head];
                _cells.Head = next;
                _cells.Count--;
            }
        }

        int slot = (_cells.Head + _cells.Count) & mask;
        _times[slot] = now;
        _amounts[slot] = c;
        _cells.NewestStart = now;
        _cells.Count++;
        AssertInvariants();
        return now;
    }

    /// <summary>
    /// Drops the spends that left the window: an entry at t is in a sliding window at now iff t + window > now,
    /// and in a calendar one iff t is at or after the start of now's unit.
    /// </summary>
    private void Prune(long now)
    {
        long horizon = _calendar ? now - (now % _window) - 1 : now - _window;
        while (_cells.Count > 0 && _times[_cells.Head] <= horizon)
        {
            _cells.PrunedThrough = _times[_cells.Head];
            _cells.Total -= _amounts[_cells.Head];
            _cells.Head = (_cells.Head + 1) & (_times.Length - 1);
            _cells.Count--;
        }

        if (_cells.Count == 0)
        {
            _cells.Total = T.Zero;
        }

        AssertInvariants();
    }

    /// <summary>
    /// What every change must keep (checked in Debug builds, which the tests run): the ring holds between 0 and its
    /// length entries, their times never decrease, no amount is negative, and the total is their sum. Under the lock.
    /// </summary>
    // Stryker disable all : a debug-only check ([Conditional("DEBUG")], compiled out of the release build); weakening it
    // changes no decision.
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_cells.Count >= 0 && _cells.Count <= _times.Length, "The ring's count is out of range.");
        T sum = T.Zero;
        long previous = long.MinValue;
        int mask = _times.Length - 1;
        for (int i = 0; i < _cells.Count; i++)
        {
            int slot = (_cells.Head + i) & mask;
            Debug.Assert(_times[slot] >= previous, "The ring's times went backwards.");
            Debug.Assert(_amounts[slot] >= T.Zero, "An entry's amount is negative.");
            previous = _times[slot];
            sum += _amounts[slot];
        }

        Debug.Assert(sum == _cells.Total, "The ring's total is not the sum of its entries.");
        Debug.Assert(_cells.Count == 0 || _times[(_cells.Head + _cells.Count - 1) & mask] <= _cells.LastActivity, "The newest entry is later than the counter's last activity.");
    }
    // Stryker restore all

    private long WaitFor(long now, T cost, T max)
    {
        if (cost > max)
        {
            return -1;
        }

        if (_calendar)
        {
            return _window - (now % _window); // the whole unit empties at its end
        }

        T excess = _cells.Total + cost - max;
        int mask = _times.Length - 1;
        for (int i = 0; i < _cells.Count; i++)
        {
            int at = (_cells.Head + i) & mask;
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
        // Stryker disable once Equality : equivalent. One slot more is copied past the count, where nothing reads it.
        for (int i = 0; i < _cells.Count; i++)
        {
            int at = (_cells.Head + i) & (_times.Length - 1);
            times[i] = _times[at];
            amounts[i] = _amounts[at];
        }

        _times = times;
        _amounts = amounts;
        _cells.Head = 0;
    }
}
