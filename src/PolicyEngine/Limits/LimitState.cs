using System.Collections.Concurrent;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Limits;

/// <summary>
/// The counters of one limit, one per partition key (session, user, argument value, or one global).
/// A reload that leaves the limit's identity unchanged hands the same state to the new snapshot, with the
/// new <c>max</c> (<see cref="Rebind(LimitDefinition)"/>): max is not part of the identity.
/// </summary>
internal sealed class LimitState
{
    private readonly ConcurrentDictionary<string, WindowCounter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WindowCounter>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly CounterStore _store;

    private LimitBounds _bounds;

    public LimitState(LimitDefinition definition, CounterStore store)
        : this(definition.Identity, definition.Cost is not null, definition.Calendar, definition.Window, definition.Max, store)
    {
    }

    /// <summary>A limit known only by what a <see cref="LimitCharge"/> says of it (the in-memory <see cref="PolicyStateStore"/>).</summary>
    public LimitState(string identity, bool countsCost, bool calendar, TimeSpan window, decimal max, CounterStore store)
    {
        Identity = identity;
        CountsCost = countsCost;
        _store = store;
        _bySpan = _counters.GetAlternateLookup<ReadOnlySpan<char>>();
        Calendar = calendar;
        WindowTimestamp = Calendar ? window.Ticks : store.ToTimestamp(window);
        _bounds = new LimitBounds(max, WindowTimestamp);
    }

    /// <summary>Block, window, per and cost (docs/policy-language.md#reload); see <see cref="LimitDefinition.Identity"/>.</summary>
    public string Identity { get; }

    /// <summary>Whether calls spend a <c>cost</c> (decimal counters) rather than one each.</summary>
    public bool CountsCost { get; }

    /// <summary>The max in force; read by counters under their lock.</summary>
    public LimitBounds Bounds => Volatile.Read(ref _bounds);

    /// <summary>
    /// A calendar window (docs/policy-language.md#limits): its counters keep UTC wall-clock time (<see cref="DateTimeOffset.UtcTicks"/>),
    /// because its boundaries are the UTC minute, hour or midnight; a sliding window keeps the provider's
    /// monotonic timestamps. Each counter reads one clock only, so its times are always comparable.
    /// </summary>
    public bool Calendar { get; }

    /// <summary>The window in the units of <see cref="Now"/>: timestamp units, or ticks for a calendar window (the unit's length).</summary>
    public long WindowTimestamp { get; }

    /// <summary>The time for this limit's counters: the wall clock in UTC ticks for a calendar window, else the monotonic timestamp.</summary>
    public long Now => Calendar ? _store.WallNow : _store.Now;

    /// <summary>A wait in the units of <see cref="Now"/> as a duration, rounded up.</summary>
    public TimeSpan ToTimeSpan(long wait) => Calendar ? TimeSpan.FromTicks(wait) : _store.ToTimeSpan(wait);

    /// <summary>The counters, enumerated lazily and without locks (not <c>Values</c>, which copies them all under every lock).</summary>
    public IEnumerable<WindowCounter> Counters => _counters.Select(static pair => pair.Value);

    /// <summary>The counter for a key, created on first use; null when the store is at its cap.</summary>
    public WindowCounter? GetOrCreate(string key)
    {
        if (_counters.TryGetValue(key, out var counter))
        {
            return counter;
        }

        var created = _store.TryCreate(this, key);
        if (created is null)
        {
            return null;
        }

        var winner = _counters.GetOrAdd(key, created);
        if (!ReferenceEquals(winner, created))
        {
            _store.Discard(created); // another call created it first
        }

        return winner;
    }

    /// <summary>The counter for a key if it exists; a call that would spend nothing never creates one.</summary>
    public WindowCounter? Find(ReadOnlySpan<char> key) => _bySpan.TryGetValue(key, out var counter) ? counter : null;

    /// <summary><see cref="GetOrCreate(string)"/> for a key in a buffer: the key becomes a string only when its counter is created.</summary>
    public WindowCounter? GetOrCreate(ReadOnlySpan<char> key) =>
        _bySpan.TryGetValue(key, out var counter) ? counter : GetOrCreate(key.ToString());

    /// <summary>
    /// Puts a reloaded limit's max in force at once, over what its windows already hold. Each counter's last
    /// denial was judged against the old max, so it is forgotten; a call that holds a counter's lock while
    /// the bounds change finishes first, and one that takes it after reads the new bounds.
    /// </summary>
    public void Rebind(LimitDefinition definition) => Rebind(definition.Max);

    /// <summary>Puts a new max in force, as the overload taking a definition does.</summary>
    public void Rebind(decimal max)
    {
        if (Bounds.Max == max)
        {
            return;
        }

        Volatile.Write(ref _bounds, new LimitBounds(max, WindowTimestamp));
        foreach (var counter in _counters.Values)
        {
            counter.Enter();
            counter.ForgetDenialUnsynchronized();
            counter.Exit();
        }
    }

    public void Remove(WindowCounter counter) => _counters.TryRemove(new KeyValuePair<string, WindowCounter>(counter.Key, counter));
}
