using System.Runtime.InteropServices;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// Gives each top-level argument name that some path reads a policy-wide id, and each plan the names its
/// blocks read, so that the validator's one pass over a call's arguments also finds what the paths need.
/// Used while a <see cref="CompiledPolicy"/> is built, before anything evaluates.
/// </summary>
internal sealed class ArgNames
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<ArgSlot> _slots = [];
    private readonly List<int> _blockIds = [];

    // Blocks that read the same names share one array of their ids (a large policy's tools mostly do).
    private readonly Dictionary<int[], int[]> _idSets = new(IdsComparer.Instance);

    /// <summary>
    /// Binds the paths of <paramref name="block"/>'s rules (<paramref name="rulePaths"/>, in document order) and of
    /// its <paramref name="limits"/>, and records which names the block reads. Blocks are bound in document order.
    /// </summary>
    public void Bind(RuleBlock block, List<ValuePath> rulePaths, ReadOnlySpan<LimitDefinition> limits)
    {
        _blockIds.Clear();
        foreach (var path in rulePaths)
        {
            Read(path);
        }

        foreach (var limit in limits)
        {
            Read(limit.ScopePath);
            Read(limit.Cost);
        }

        block.ArgNameIds = Intern(_idSets, CollectionsMarshal.AsSpan(_blockIds));
    }

    /// <summary>Gives the path's first argument name its id (a new one if it has none yet) and notes that the block reads it.</summary>
    private void Read(ValuePath? path)
    {
        if (path?.FirstArgName is not { } name)
        {
            return;
        }

        if (!_ids.TryGetValue(name, out int id))
        {
            id = _slots.Count;
            _ids.Add(name, id);
            var utf8 = path.Segments[0].Utf8Name!;
            _slots.Add(new ArgSlot(id, ArgSlot.KeyOf(utf8), utf8, name));
        }

        path.ArgNameId = id;
        if (!_blockIds.Contains(id))
        {
            _blockIds.Add(id);
        }
    }

    /// <summary>The ids of the names a plan made of <paramref name="blocks"/> reads, in order, up to <see cref="ArgSlot.Capacity"/>, written into <paramref name="ids"/>.</summary>
    public static ReadOnlySpan<int> For(ReadOnlySpan<RuleBlock> blocks, Span<int> ids)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            foreach (int id in block.ArgNameIds)
            {
                if (ids[..count].IndexOf(id) < 0)
                {
                    ids[count++] = id;
                }
            }
        }

        return ids[..Math.Min(count, ArgSlot.Capacity)];
    }

    /// <summary>How many ids <see cref="For"/> may write for <paramref name="blocks"/>.</summary>
    public static int MaxIds(ReadOnlySpan<RuleBlock> blocks)
    {
        int total = 0;
        foreach (var block in blocks)
        {
            total += block.ArgNameIds.Length;
        }

        return total;
    }

    public IReadOnlyList<ArgSlot> Slots => _slots;

    /// <summary>The slots of <paramref name="ids"/>.</summary>
    public static ArgSlot[] Take(IReadOnlyList<ArgSlot> all, ReadOnlySpan<int> ids)
    {
        var slots = new ArgSlot[ids.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = all[ids[i]];
        }

        return slots;
    }

    /// <summary>The array in <paramref name="table"/> equal to <paramref name="ids"/>, added as a copy when there is none.</summary>
    public static int[] Intern(Dictionary<int[], int[]> table, ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty)
        {
            return [];
        }

        var lookup = table.GetAlternateLookup<ReadOnlySpan<int>>();
        if (!lookup.TryGetValue(ids, out var known))
        {
            known = ids.ToArray();
            table.Add(known, known);
        }

        return known;
    }
}
