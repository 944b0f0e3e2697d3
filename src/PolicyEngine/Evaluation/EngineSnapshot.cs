using PolicyEngine.Limits;

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

    /// <summary>Builds the snapshot for <paramref name="policy"/>, keeping the states of limits whose identity is unchanged.</summary>
    public static EngineSnapshot Create(Policy policy, EngineSnapshot? previous, CounterStore store)
    {
        var kept = previous?.States.ToDictionary(s => s.Identity, StringComparer.Ordinal) ?? [];
        var states = new LimitState[policy.Compiled.Limits.Length];
        foreach (var limit in policy.Compiled.Limits)
        {
            if (kept.Remove(limit.Identity, out var state))
            {
                states[limit.Index] = state;
            }
            else
            {
                states[limit.Index] = new LimitState(limit, store);
                store.Register(states[limit.Index]);
            }
        }

        foreach (var dropped in kept.Values)
        {
            store.Release(dropped);
        }

        return new EngineSnapshot(policy, states);
    }
}
