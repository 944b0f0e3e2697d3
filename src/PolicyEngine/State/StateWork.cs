using PolicyEngine.DecisionTree;

namespace PolicyEngine.State;

/// <summary>
/// A call that the stateless steps (docs/policy-language.md#evaluating-a-call steps 1–4) left to a shared store: the request to send, and what each
/// answer turns into. Built synchronously, while the call's arguments can still be read, so nothing of them crosses an await.
/// </summary>
internal sealed class StateWork
{
    public required StateRequest Request { get; init; }

    /// <summary>The call's limits, in <see cref="StateRequest.Charges"/> order (empty when <see cref="Indeterminate"/> is set).</summary>
    public required LimitDefinition[] Limits { get; init; }

    /// <summary>What an allowed call reports (docs/policy-language.md#evaluating-a-call step 7).</summary>
    public required DecisionOutcome Allow { get; init; }

    /// <summary>The approval stage's outcome when the call needs approval; else null.</summary>
    public DecisionOutcome? Approval { get; init; }

    public string? ApprovalId { get; init; }

    /// <summary>Set when a cost could not be read but the call needs approval: a present grant leads to this, a missing one is asked for.</summary>
    public DecisionOutcome? Indeterminate { get; init; }

    public required bool Shadow { get; init; }
}
