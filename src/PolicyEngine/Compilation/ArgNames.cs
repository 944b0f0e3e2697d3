using PolicyEngine.Compilation.Conditions;
using PolicyEngine.Evaluation;

namespace PolicyEngine.Compilation;

/// <summary>
/// Gives each top-level argument name that some path reads a policy-wide id, and each plan the names its
/// blocks read, so that the validator's one pass over a call's arguments also finds what the paths need.
/// Used while a <see cref="CompiledPolicy"/> is built, before anything evaluates.
/// </summary>
internal sealed class ArgNames
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<ArgSlot> _slots = [];
    private readonly List<ValuePath> _paths = [];
    private readonly List<int> _blockIds = [];

    /// <summary>Binds the paths of <paramref name="block"/>'s rules and limits, and records which names the block reads.</summary>
    public void Bind(RuleBlock block)
    {
        _paths.Clear();
        CollectPaths(block.Require);
        CollectPaths(block.DenyIf);
        CollectPaths(block.ApproveIf);

        foreach (var limit in block.Limits)
        {
            AddIfAny(limit.ScopePath);
            AddIfAny(limit.Cost);
        }

        var ids = _blockIds;
        ids.Clear();
        foreach (var path in _paths)
        {
            if (path.FirstArgName is { } name)
            {
                if (!_ids.TryGetValue(name, out int id))
                {
                    id = _slots.Count;
                    _ids.Add(name, id);
                    var utf8 = path.Segments[0].Utf8Name!;
                    _slots.Add(new ArgSlot(id, ArgSlot.KeyOf(utf8), utf8, name));
                }

                path.ArgNameId = id;
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }

        block.ArgNameIds = [.. ids];
    }

    /// <summary>The names a plan made of <paramref name="blocks"/> reads, in order, up to <see cref="ArgSlot.Capacity"/>.</summary>
    public static ArgSlot[] For(IReadOnlyList<ArgSlot> all, RuleBlock[] blocks)
    {
        if (blocks.Length == 1)
        {
            return Take(all, blocks[0].ArgNameIds);
        }

        int total = 0;
        foreach (var block in blocks)
        {
            total += block.ArgNameIds.Length;
        }

        // Runs for every listed tool while a policy is built, and again for names resolved later (concurrently): no shared scratch.
        Span<int> ids = total <= 64 ? stackalloc int[total] : new int[total];
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

        return Take(all, ids[..count]);
    }

    public IReadOnlyList<ArgSlot> Slots => _slots;

    private static ArgSlot[] Take(IReadOnlyList<ArgSlot> all, ReadOnlySpan<int> ids)
    {
        var slots = new ArgSlot[Math.Min(ids.Length, ArgSlot.Capacity)];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = all[ids[i]];
        }

        return slots;
    }

    private void CollectPaths(RuleItem[] items)
    {
        foreach (var item in items)
        {
            item.Condition.CollectPaths(_paths);
        }
    }

    private void AddIfAny(ValuePath? path)
    {
        if (path is not null)
        {
            _paths.Add(path);
        }
    }
}
