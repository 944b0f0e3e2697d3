namespace PolicyEngine.DecisionTree;

/// <summary>The shared arrays the plans of one policy being built take their ranges from.</summary>
internal sealed class PlanStore
{
    public ChunkStore<RuleBlock> Blocks { get; } = new();

    public ChunkStore<LimitDefinition> Limits { get; } = new();
}
