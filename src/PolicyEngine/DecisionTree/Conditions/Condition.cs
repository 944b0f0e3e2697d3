using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>A node of a compiled condition tree. Nodes are immutable and shared by every evaluation.</summary>
internal abstract class Condition
{
    public abstract Tri Evaluate(in EvalContext ctx);

    /// <summary>Adds the paths this node and its children read.</summary>
    public abstract void CollectPaths(List<ValuePath> paths);
}
