using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>Always true: a <c>deny_if</c> entry with empty <c>conditions</c> always fires.</summary>
internal sealed class TrueCondition : Condition
{
    public static readonly TrueCondition Instance = new();

    public override Tri Evaluate(in EvalContext ctx) => Tri.True;
}
