using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>not</c>: swaps true and false, keeps indeterminate.</summary>
internal sealed class NotCondition(Condition child) : Condition
{
    public override Tri Evaluate(in EvalContext ctx) => TriLogic.Not(child.Evaluate(in ctx));
}
