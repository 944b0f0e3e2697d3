namespace PolicyEngine.Limits;

/// <summary>
/// One sliding-window counter: a ring of (timestamp, amount) entries of allowed spends, oldest first.
/// Exact while it holds at most <see cref="MaxEntries"/> entries, which a count limit with max ≤ 1,000
/// never exceeds. Past that, the two oldest entries merge and count at the later timestamp: the window
/// then over-counts a little and never under-counts, so no window ever holds more than max.
/// Every member but <see cref="Id"/> and <see cref="Gate"/> must be used with <see cref="Gate"/> held.
/// </summary>
internal sealed class WindowCounter
{
    public const int MaxEntries = 1024;
    private static long s_nextId;

    private long[] _times = new long[4];
    private decimal[] _amounts = new decimal[4];
    private int _head;
    private int _count;
    private decimal _total;

    public WindowCounter(LimitState state, string key, long created)
    {
        State = state;
        Key = key;
        LastActivity = created;
    }

    /// <summary>Orders lock acquisition across counters so that two calls never wait on each other in a cycle.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public Lock Gate { get; } = new();

    public LimitState State { get; }

    public string Key { get; }

    /// <summary>Set once the counter is dropped from its state; a call that finds it retired looks again.</summary>
    public bool Retired { get; set; }

    /// <summary>When the counter was created or last spent; read without the lock by expiry checks, re-checked under it.</summary>
    public long LastActivity { get; private set; }

    public decimal Total => _total;

    /// <summary>Drops the spends that left the window: an entry at t is in the window at <paramref name="now"/> iff t + window > now.</summary>
    public void Prune(long now, long window)
    {
        while (_count > 0 && _times[_head] <= now - window)
        {
            _total -= _amounts[_head];
            _head = (_head + 1) & (_times.Length - 1);
            _count--;
        }

        if (_count == 0)
        {
            _total = 0; // no drift from merged amounts
        }
    }

    public bool Fits(decimal cost, decimal max) => _total + cost <= max;

    /// <summary>
    /// How long until <paramref name="cost"/> fits, assuming no other spends, in timestamp units;
    /// -1 when it never can. Call after <see cref="Prune"/>.
    /// </summary>
    public long WaitFor(long now, long window, decimal cost, decimal max)
    {
        if (cost > max)
        {
            return -1;
        }

        decimal excess = _total + cost - max;
        int mask = _times.Length - 1;
        for (int i = 0; i < _count && excess > 0; i++)
        {
            int at = (_head + i) & mask;
            excess -= _amounts[at];
            if (excess <= 0)
            {
                return _times[at] + window - now;
            }
        }

        return 0;
    }

    public void Spend(long now, decimal cost)
    {
        if (cost == 0)
        {
            return;
        }

        LastActivity = now;
        _total += cost;
        int mask = _times.Length - 1;
        if (_count > 0)
        {
            int last = (_head + _count - 1) & mask;
            if (_times[last] == now)
            {
                _amounts[last] += cost; // same instant: one entry, still exact
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
                // Merge the oldest entry into the next one, at the later time: safe over-counting.
                int next = (_head + 1) & mask;
                _amounts[next] += _amounts[_head];
                _head = next;
                _count--;
            }
        }

        int slot = (_head + _count) & mask;
        _times[slot] = now;
        _amounts[slot] = cost;
        _count++;
    }

    /// <summary>Idle once a whole window has passed since creation or the last spend: then it holds nothing and can go.</summary>
    public bool IsIdle(long now, long window) => LastActivity <= now - window;

    private void Grow()
    {
        var times = new long[_times.Length * 2];
        var amounts = new decimal[_times.Length * 2];
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
