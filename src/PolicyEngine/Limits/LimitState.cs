using System.Collections.Concurrent;

namespace PolicyEngine.Limits;

/// <summary>
/// The counters of one limit, one per partition key (session, user, argument value, or one global).
/// A reload that leaves the limit's identity unchanged hands the same state to the new snapshot.
/// </summary>
internal sealed class LimitState
{
    private readonly ConcurrentDictionary<string, WindowCounter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WindowCounter>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly CounterStore _store;

    public LimitState(LimitDefinition definition, CounterStore store)
    {
        Definition = definition;
        Identity = definition.Identity;
        _store = store;
        _bySpan = _counters.GetAlternateLookup<ReadOnlySpan<char>>();
        WindowTimestamp = store.ToTimestamp(definition.Window);
    }

    public LimitDefinition Definition { get; }

    public string Identity { get; }

    /// <summary>The window in the time provider's timestamp units.</summary>
    public long WindowTimestamp { get; }

    public IEnumerable<WindowCounter> Counters => _counters.Values;

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

    /// <summary><see cref="GetOrCreate(string)"/> for a key in a buffer: the key becomes a string only when its counter is created.</summary>
    public WindowCounter? GetOrCreate(ReadOnlySpan<char> key) =>
        _bySpan.TryGetValue(key, out var counter) ? counter : GetOrCreate(key.ToString());

    public void Remove(WindowCounter counter) => _counters.TryRemove(new KeyValuePair<string, WindowCounter>(counter.Key, counter));
}
