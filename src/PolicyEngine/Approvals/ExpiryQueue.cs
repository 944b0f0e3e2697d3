namespace PolicyEngine.Approvals;

/// <summary>
/// Entries in the order they were added, which is the order they expire in (every entry of one policy lives
/// for the same TTL from when it is added; a reload to another policy drops them all). Dropping the expired
/// ones looks only at the head, so the work per call is amortised O(1), never a scan of every entry. An
/// entry is stale once its id maps to another item (refreshed, spent, removed); stale entries are skipped, and
/// compacted away when they outnumber the live ones. Not thread-safe: its owner's lock guards it.
/// </summary>
internal sealed class ExpiryQueue<T>
    where T : class
{
    private const int Slack = 64;

    private readonly Queue<(string Id, T Item, long Expires)> _queue = new();

    /// <summary>The entries held, stale ones included: what the memory bound is about.</summary>
    public int Count => _queue.Count;

    /// <summary>Adds an entry; <paramref name="live"/> is how many items the owner holds, to bound the stale ones.</summary>
    public void Add(string id, T item, long expires, int live, Func<string, T, bool> isCurrent)
    {
        _queue.Enqueue((id, item, expires));
        if (_queue.Count > (2 * live) + Slack)
        {
            Compact(isCurrent);
        }
    }

    /// <summary>Adds an entry for items kept in a dictionary, current while the dictionary maps the id to the same item.</summary>
    public void Add(string id, T item, long expires, int live, IReadOnlyDictionary<string, T> items) =>
        Add(id, item, expires, live, (i, t) => items.TryGetValue(i, out var found) && ReferenceEquals(found, t));

    /// <summary>Removes stale entries from the head, and expired current ones through <paramref name="expire"/>, up to the first live one.</summary>
    public void DropExpired(long now, Func<string, T, bool> isCurrent, Action<string, T> expire)
    {
        while (_queue.TryPeek(out var head))
        {
            bool current = isCurrent(head.Id, head.Item);
            if (current && head.Expires > now)
            {
                return;
            }

            _queue.Dequeue();
            if (current)
            {
                expire(head.Id, head.Item);
            }
        }
    }

    /// <summary>Keeps only the current entries, in their order.</summary>
    public void Compact(Func<string, T, bool> isCurrent)
    {
        int n = _queue.Count;
        for (int i = 0; i < n; i++)
        {
            var entry = _queue.Dequeue();
            if (isCurrent(entry.Id, entry.Item))
            {
                _queue.Enqueue(entry);
            }
        }
    }

    /// <summary><see cref="Compact(Func{string, T, bool})"/> for items kept in a dictionary.</summary>
    public void Compact(IReadOnlyDictionary<string, T> items) =>
        Compact((i, t) => items.TryGetValue(i, out var found) && ReferenceEquals(found, t));
}
