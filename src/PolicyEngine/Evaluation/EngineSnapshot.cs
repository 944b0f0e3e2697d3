using PolicyEngine.Limits;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Evaluation;

/// <summary>
/// One policy with the limit states its limits count on. Immutable once built; a reload builds a new
/// snapshot and swaps one reference, so every evaluation sees one whole policy.
/// </summary>
internal sealed class EngineSnapshot
{
    private EngineSnapshot(Policy policy, LimitState[] states)
    {
        Policy = policy;
        States = states;
    }

    public Policy Policy { get; }

    /// <summary>Indexed by <see cref="LimitDefinition.Index"/>.</summary>
    public LimitState[] States { get; }

    /// <summary>
    /// Builds the snapshot for <paramref name="policy"/>. A limit whose identity (block, window, per, cost) is
    /// unchanged keeps its state, wherever it now stands in its block, and takes the new max at once; limits of
    /// one block with the same identity are matched in their order.
    /// </summary>
    public static EngineSnapshot Create(Policy policy, EngineSnapshot? previous, CounterStore store)
    {
        var kept = new Dictionary<string, Queue<LimitState>>(StringComparer.Ordinal);
        foreach (var state in previous?.States ?? [])
        {
            if (!kept.TryGetValue(state.Identity, out var same))
            {
                kept[state.Identity] = same = new Queue<LimitState>();
            }

            same.Enqueue(state); // States are in document order, so equal identities queue in their order
        }

        var states = new LimitState[policy.Compiled.Limits.Length];
        foreach (var limit in policy.Compiled.Limits)
        {
            if (kept.TryGetValue(limit.Identity, out var same) && same.TryDequeue(out var state))
            {
                state.Rebind(limit);
                states[limit.Index] = state;
            }
            else
            {
                states[limit.Index] = new LimitState(limit, store);
                store.Register(states[limit.Index]);
            }
        }

        foreach (var dropped in kept.Values.SelectMany(q => q))
        {
            store.Release(dropped);
        }

        return new EngineSnapshot(policy, states);
    }
}
