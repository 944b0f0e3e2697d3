using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace PolicyEngine.Limits;

/// <summary>
/// Owns every limit counter of one evaluator: the cap on how many exist, and their expiry.
/// Idle counters (no spend left in their window; for a calendar window, its unit has ended) expire through <see cref="IMemoryCache"/>; lookups take
/// a fast path straight to the counter, because a cache lookup per call would cost more than the whole
/// decision. The cap is exact: at it, a call that needs a new counter is refused, and live counters are
/// never evicted, since dropping one would let more than max through. At the cap, each call that needs a
/// counter first examines a few more counters for idle ones (<see cref="SweepBatch"/>), resuming where the
/// last one stopped: the work is spread over the calls, so no caller waits for a sweep of every counter.
/// </summary>
internal sealed class CounterStore : IDisposable
{
    /// <summary>How many counters one call at the cap examines for idleness: bounded work per call, a full pass over many calls.</summary>
    public const int SweepBatch = 64;

    /// <summary>After a whole pass over the counters frees nothing, calls at the cap are refused without looking, for this long.</summary>
    private static readonly TimeSpan RestAfterFruitlessPass = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimestampScale _scale;
    private readonly IMemoryCache _cache;
    private readonly bool _ownsCache;
    private readonly int _max;
    private readonly ConcurrentDictionary<LimitState, byte> _states = new();
    private readonly Lock _sweepLock = new();
    private IEnumerator<LimitState>? _stateCursor; // guarded by _sweepLock, as is the next
    private IEnumerator<WindowCounter>? _counterCursor;
    private bool _passFreed; // whether the pass under way has retired anything; guarded by _sweepLock
    private long _restUntil = long.MinValue;
    private int _count;

    public CounterStore(PolicyEngineOptions options)
    {
        _time = options.TimeProvider;
        _scale = new TimestampScale(_time.TimestampFrequency);
        _max = options.MaxTrackedLimitKeys;
        Refunds = options.Refunds;
        if (options.LimitCache is { } shared)
        {
            _cache = shared;
        }
        else
        {
            _cache = new MemoryCache(new MemoryCacheOptions
            {
#pragma warning disable CS0618 // ISystemClock is how MemoryCache takes a clock; the adapter keeps the injected TimeProvider authoritative.
                Clock = new TimeProviderClock(_time),
#pragma warning restore CS0618
                ExpirationScanFrequency = TimeSpan.FromSeconds(10),
            });
            _ownsCache = true;
        }
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Which spends get a refund token (<see cref="PolicyEngineOptions.Refunds"/>).</summary>
    public RefundScope Refunds { get; }

    /// <summary>The monotonic time of sliding windows, in timestamp units.</summary>
    public long Now => _time.GetTimestamp();

    /// <summary>The UTC wall-clock time of calendar windows, in ticks: their boundaries are UTC minutes, hours and midnights.</summary>
    public long WallNow => _time.GetUtcNow().UtcTicks;

    public long ToTimestamp(TimeSpan span) => _scale.ToTimestamp(span);

    public TimeSpan ToTimeSpan(long timestamp) => _scale.ToTimeSpan(timestamp);

    public void Register(LimitState state) => _states.TryAdd(state, 0);

    /// <summary>Drops a state that a reload left behind, with all its counters.</summary>
    public void Release(LimitState state)
    {
        _states.TryRemove(state, out _);
        foreach (var counter in state.Counters)
        {
            Retire(counter, force: true);
        }
    }

    public WindowCounter? TryCreate(LimitState state, string key)
    {
        if (!TryReserve())
        {
            // The sweep's own result does not decide: the cache's expiry may have freed a slot meanwhile, so reserve again.
            SweepSome();
            if (!TryReserve())
            {
                return null;
            }
        }

        var counter = WindowCounter.Create(state, key, state.Now);
        Track(counter);
        return counter;
    }

    /// <summary>Puts a counter in the cache, which expires it once idle.</summary>
    private void Track(WindowCounter counter)
    {
        var options = new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove, Size = 1 };
        options.ExpirationTokens.Add(new IdleToken(counter));
        options.PostEvictionCallbacks.Add(new PostEvictionCallbackRegistration { EvictionCallback = OnEvicted, State = this });
        _cache.Set(counter, counter, options);
    }

    private bool TryReserve()
    {
        if (Interlocked.Increment(ref _count) <= _max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>
    /// Gives back at once the slot of a counter made for a call that did not spend in it (another call took
    /// the room first), unless something was spent in it since.
    /// </summary>
    public void ReleaseIfEmpty(WindowCounter counter)
    {
        counter.Enter();
        try
        {
            if (counter.Retired || !counter.IsEmpty)
            {
                return;
            }

            counter.Retired = true;
        }
        finally
        {
            counter.Exit();
        }

        Forget(counter);
    }

    /// <summary>Undoes <see cref="TryCreate"/> for a counter that lost the race to be added.</summary>
    public void Discard(WindowCounter counter)
    {
        counter.Enter();
        counter.Retired = true;
        counter.Exit();

        _cache.Remove(counter);
        Interlocked.Decrement(ref _count);
    }

    public void Dispose()
    {
        if (_ownsCache)
        {
            // Disposing our own MemoryCache only marks it disposed: it holds no timer, thread or handle (its scans run
            // on calls into it), so leaving it undisposed would change nothing a caller can see. Mutants that skip this
            // are equivalent; disposing a host's cache (the condition negated) is not, and is tested.
            _cache.Dispose();
        }
    }

    private static void OnEvicted(object key, object? value, EvictionReason reason, object? state)
    {
        if (reason != EvictionReason.Replaced && value is WindowCounter counter && state is CounterStore store
            && !store.Retire(counter, force: false) && !counter.Retired)
        {
            // Evicted while busy: callbacks run later, and a call may have spent in it since it went idle (or the host
            // compacted its cache). Still tracked, it must stay in the cache, or it would never expire below the cap.
            store.Track(counter);
        }
    }

    /// <summary>Removes a counter once, under its lock. Unless forced, only an idle counter goes; a busy one is kept tracked.</summary>
    private bool Retire(WindowCounter counter, bool force)
    {
        counter.Enter();
        try
        {
            if (counter.Retired || (!force && !counter.IsIdle()))
            {
                return false;
            }

            counter.Retired = true;
        }
        finally
        {
            counter.Exit();
        }

        Forget(counter);
        return true;
    }

    /// <summary>Drops a counter that has just been retired from its state, the cache and the count.</summary>
    private void Forget(WindowCounter counter)
    {
        counter.State.Remove(counter);
        _cache.Remove(counter);
        Interlocked.Decrement(ref _count);
    }

    /// <summary>
    /// At the cap: examines up to <see cref="SweepBatch"/> counters, going on from where the last call stopped,
    /// and retires the idle ones. A caller that finds another sweeping does not wait: it is refused at once. When
    /// a whole pass has freed nothing (every counter is live), the next <see cref="RestAfterFruitlessPass"/> of
    /// calls are refused without looking, so a flood against a full store costs each call almost nothing.
    /// </summary>
    private void SweepSome()
    {
        long now = Now;
        if (now < Volatile.Read(ref _restUntil) || !_sweepLock.TryEnter())
        {
            return;
        }

        try
        {
            int examined = 0;
            bool restarted = false;
            while (examined < SweepBatch)
            {
                if (_counterCursor?.MoveNext() == true)
                {
                    var counter = _counterCursor.Current;
                    if (Retire(counter, force: false))
                    {
                        _passFreed = true;
                    }
                    else if (counter.Retired)
                    {
                        _passFreed = true; // the cache's expiry retired it during this pass: room was freed, so do not rest
                    }

                    examined++;
                    continue;
                }

                // This limit's counters are done: on to the next limit, and round again after the last.
                // Disposing a finished enumerator frees nothing (neither ConcurrentDictionary's nor Select's holds a
                // resource); it is done for form, so mutants that skip it, here and below, are equivalent.
                // Stryker disable once Statement : equivalent, as said above.
                _counterCursor?.Dispose();
                _counterCursor = null;
                if (_stateCursor?.MoveNext() == true)
                {
                    _counterCursor = _stateCursor.Current.Counters.GetEnumerator();
                    continue;
                }

                bool passDone = _stateCursor is not null;
                // Stryker disable once Statement : equivalent, as said above.
                _stateCursor?.Dispose();
                _stateCursor = null;
                if (passDone && !_passFreed)
                {
                    Volatile.Write(ref _restUntil, now + ToTimestamp(RestAfterFruitlessPass));
                    break; // every counter is live: rest before the next pass
                }

                if (restarted)
                {
                    break; // a whole pass in this call already
                }

                restarted = true;
                _passFreed = false;
                _stateCursor = ((IEnumerable<LimitState>)_states.Keys.ToArray()).GetEnumerator();
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    /// <summary>Tells the cache a counter has expired once its window holds no spend.</summary>
    private sealed class IdleToken(WindowCounter counter) : IChangeToken
    {
        public bool HasChanged => counter.Retired || counter.IsIdle();

        // The cache polls HasChanged whatever this says; saying true only makes it register a callback this token never
        // calls (the no-op below), so a mutant flipping it is equivalent.
        public bool ActiveChangeCallbacks => false;

        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => EmptyDisposable.Instance;
    }

    private sealed class EmptyDisposable : IDisposable
    {
        public static readonly EmptyDisposable Instance = new();

        public void Dispose()
        {
        }
    }

#pragma warning disable CS0618
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
