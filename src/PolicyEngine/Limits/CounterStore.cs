using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace PolicyEngine.Limits;

/// <summary>
/// Owns every limit counter of one evaluator: the cap on how many exist, and their expiry.
/// Idle counters (no spend left in their window) expire through <see cref="IMemoryCache"/>; lookups take
/// a fast path straight to the counter, because a cache lookup per call would cost more than the whole
/// decision. The cap is exact: at it, a call that needs a new counter is refused, and live counters are
/// never evicted, since dropping one would let more than max through.
/// </summary>
internal sealed class CounterStore : IDisposable
{
    /// <summary>At the cap, idle counters are swept at most this often (in the provider's time) so a flood cannot make every call sweep.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimestampScale _scale;
    private readonly IMemoryCache _cache;
    private readonly bool _ownsCache;
    private readonly int _max;
    private readonly ConcurrentDictionary<LimitState, byte> _states = new();
    private readonly Lock _sweepLock = new();
    private long _lastSweep = long.MinValue;
    private int _count;

    public CounterStore(PolicyEngineOptions options)
    {
        _time = options.TimeProvider;
        _scale = new TimestampScale(_time.TimestampFrequency);
        _max = options.MaxTrackedLimitKeys;
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

    public long Now => _time.GetTimestamp();

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
        if (!TryReserve() && (!SweepIdle() || !TryReserve()))
        {
            return null;
        }

        var counter = WindowCounter.Create(state, key, Now);
        var options = new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove, Size = 1 };
        options.ExpirationTokens.Add(new IdleToken(this, counter));
        options.PostEvictionCallbacks.Add(new PostEvictionCallbackRegistration { EvictionCallback = OnEvicted, State = this });
        _cache.Set(counter, counter, options);
        return counter;
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
            _cache.Dispose();
        }
    }

    private static void OnEvicted(object key, object? value, EvictionReason reason, object? state)
    {
        if (reason != EvictionReason.Replaced && value is WindowCounter counter && state is CounterStore store)
        {
            store.Retire(counter, force: false);
        }
    }

    /// <summary>Removes a counter once, under its lock. Unless forced, only an idle counter goes; a busy one is kept tracked.</summary>
    private bool Retire(WindowCounter counter, bool force)
    {
        long now = Now; // read before the lock: the provider is the host's code
        counter.Enter();
        try
        {
            if (counter.Retired || (!force && !counter.IsIdle(now, counter.State.WindowTimestamp)))
            {
                return false;
            }

            counter.Retired = true;
        }
        finally
        {
            counter.Exit();
        }

        counter.State.Remove(counter);
        _cache.Remove(counter);
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>At the cap: drops idle counters now, synchronously, at most once per <see cref="SweepInterval"/>.</summary>
    private bool SweepIdle()
    {
        long now = Now;
        lock (_sweepLock)
        {
            if (_lastSweep != long.MinValue && now - _lastSweep < ToTimestamp(SweepInterval))
            {
                return false;
            }

            _lastSweep = now;
            bool freed = false;
            foreach (var state in _states.Keys)
            {
                foreach (var counter in state.Counters)
                {
                    freed |= Retire(counter, force: false);
                }
            }

            return freed;
        }
    }

    /// <summary>Tells the cache a counter has expired once its window holds no spend.</summary>
    private sealed class IdleToken(CounterStore store, WindowCounter counter) : IChangeToken
    {
        public bool HasChanged => counter.Retired || counter.IsIdle(store.Now, counter.State.WindowTimestamp);

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
