using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>A node of a compiled condition tree. Nodes are immutable and shared by every evaluation.</summary>
internal abstract class Condition
{
    public abstract Tri Evaluate(in EvalContext ctx);
}
