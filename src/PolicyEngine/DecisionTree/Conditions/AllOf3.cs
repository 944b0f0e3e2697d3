using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

internal sealed class AllOf3(Condition a, Condition b, Condition c) : Condition
{
    public override Tri Evaluate(in EvalContext ctx)
    {
        var result = Tri.True;
        return AllOf.Holds(a, in ctx, ref result) && AllOf.Holds(b, in ctx, ref result) && AllOf.Holds(c, in ctx, ref result)
            ? result
            : Tri.False;
    }
}
