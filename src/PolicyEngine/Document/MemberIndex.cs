using System.Buffers;

namespace PolicyEngine.Document;

/// <summary>
/// The names of one large object being read, hashed, so that a duplicate is found without a scan: an open
/// addressing table of the members' node ids in a rented array (a policy's <c>tools</c> object can have
/// 100,000 members, and a hash set of them was garbage the size of the table, reallocated as it grew).
/// </summary>
internal sealed class MemberIndex
{
    private int[] _slots = []; // node id + 1; 0 is empty
    private int[] _hashes = []; // the name's hash, beside its slot: growing never hashes a name again
    private int _count;
    private JTree _tree = null!;

    /// <summary>Indexes the members <paramref name="container"/> already has.</summary>
    public void Start(JTree tree, int container)
    {
        _tree = tree;
        _count = 0;
        (_slots, _hashes) = (Rent(64), Rent(64));
        for (int child = tree.First(container); child != 0; child = tree.Next(child))
        {
            Add(child, Hash(tree.Key(child)!));
        }
    }

    // The runtime's randomized string hash: crafted names cannot make every lookup collide.
    public static int Hash(string name) => StringComparer.Ordinal.GetHashCode(name);

    /// <summary>Whether a member named <paramref name="name"/> (whose <see cref="Hash"/> is <paramref name="hash"/>) is indexed.</summary>
    public bool Contains(string name, int hash)
    {
        int mask = _slots.Length - 1;
        for (int at = hash & mask; _slots[at] != 0; at = (at + 1) & mask)
        {
            if (_hashes[at] == hash && string.Equals(_tree.Key(_slots[at] - 1), name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Indexes member <paramref name="child"/>, whose name (hash <paramref name="hash"/>) is not indexed yet.</summary>
    public void Add(int child, int hash)
    {
        if (++_count * 2 > _slots.Length)
        {
            var (slots, hashes) = (_slots, _hashes);
            (_slots, _hashes) = (Rent(slots.Length * 2), Rent(slots.Length * 2));
            for (int i = 0; i < slots.Length; i++)
            {
                if (slots[i] != 0)
                {
                    Place(slots[i], hashes[i]);
                }
            }

            ArrayPool<int>.Shared.Return(slots);
            ArrayPool<int>.Shared.Return(hashes);
        }

        Place(child + 1, hash);
    }

    /// <summary>Gives the table back; the index can start again on another object.</summary>
    public void Stop()
    {
        if (_slots.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_slots);
            ArrayPool<int>.Shared.Return(_hashes);
        }

        (_slots, _hashes) = ([], []);
        _tree = null!;
    }

    private void Place(int entry, int hash)
    {
        int mask = _slots.Length - 1;
        int at = hash & mask;
        while (_slots[at] != 0)
        {
            at = (at + 1) & mask;
        }

        _slots[at] = entry;
        _hashes[at] = hash;
    }

    /// <summary>A cleared table of <paramref name="capacity"/> slots, a power of two (as the pool's arrays are).</summary>
    private static int[] Rent(int capacity)
    {
        var array = ArrayPool<int>.Shared.Rent(capacity);
        Array.Clear(array);
        return array;
    }
}
