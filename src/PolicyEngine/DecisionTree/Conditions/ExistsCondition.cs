using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>exists</c>: true iff presence matches the literal; a present <c>null</c> exists.</summary>
internal sealed class ExistsCondition(ValuePath path, bool expected) : Condition
{
    public override Tri Evaluate(in EvalContext ctx) => TriLogic.From(!path.Resolve(in ctx).IsMissing == expected);
}
