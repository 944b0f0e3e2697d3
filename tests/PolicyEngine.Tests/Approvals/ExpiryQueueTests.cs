using PolicyEngine.Approvals;

namespace PolicyEngine.Tests.Approvals;

/// <summary>
/// The expiry order of requests and grants: stale entries (refreshed, spent, removed) are bounded by the live
/// ones, and compaction keeps the live ones in the order they expire in. Found by the mutation run: nothing checked
/// the bound or the order.
/// </summary>
public class ExpiryQueueTests
{
    private static readonly object Stale = new();

    [Fact]
    public void Stale_entries_are_compacted_away_once_they_pass_twice_the_live_count_plus_slack()
    {
        var items = new Dictionary<string, object>(StringComparer.Ordinal);
        var queue = new ExpiryQueue<object>();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            items[id] = new object();
            queue.Add(id, items[id], 100, live: 4, items);
        }

        // 4 live: the bound is 2·4 + 64 = 72 entries; the 73rd triggers a compaction down to the live ones.
        while (queue.Count < 72)
        {
            queue.Add("gone", Stale, 100, live: 4, items);
            Assert.True(queue.Count > 4, "compacted before the bound");
        }

        Assert.Equal(72, queue.Count);
        queue.Add("gone", Stale, 100, live: 4, items);
        Assert.Equal(4, queue.Count);
    }

    [Fact]
    public void Compaction_keeps_exactly_the_current_entries_in_their_order()
    {
        var items = new Dictionary<string, object>(StringComparer.Ordinal);
        var queue = new ExpiryQueue<object>();
        string[] order = ["e", "c", "a", "d", "b"];
        for (int i = 0; i < order.Length; i++)
        {
            items[order[i]] = new object();
            queue.Add(order[i], items[order[i]], 10 + i, live: 100, items);
            queue.Add("stale" + i, Stale, 10 + i, live: 100, items);
        }

        queue.Compact(items);
        Assert.Equal(order.Length, queue.Count);

        var expired = new List<string>();
        queue.DropExpired(100, (id, item) => items.TryGetValue(id, out var found) && ReferenceEquals(found, item), (id, _) => expired.Add(id));
        Assert.Equal(order, expired);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void An_entry_expires_at_its_exact_instant_and_not_before()
    {
        var items = new Dictionary<string, object>(StringComparer.Ordinal) { ["a"] = new object() };
        var queue = new ExpiryQueue<object>();
        queue.Add("a", items["a"], 50, live: 1, items);
        var expired = new List<string>();
        Func<string, object, bool> isCurrent = (id, item) => items.TryGetValue(id, out var found) && ReferenceEquals(found, item);
        queue.DropExpired(49, isCurrent, (id, _) => expired.Add(id));
        Assert.Equal((1, 0), (queue.Count, expired.Count));
        queue.DropExpired(50, isCurrent, (id, _) => expired.Add(id));
        Assert.Equal(0, queue.Count);
        Assert.Equal(["a"], expired);
    }
}
