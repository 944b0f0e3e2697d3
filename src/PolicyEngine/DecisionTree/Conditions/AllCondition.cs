using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>all</c>: false if any child is false, else indeterminate if any is, else true.</summary>
internal sealed class AllCondition(Condition[] children) : Condition
{
    public override Tri Evaluate(in EvalContext ctx)
    {
        var result = Tri.True;
        foreach (var child in children)
        {
            var r = child.Evaluate(in ctx);
            if (r == Tri.False)
            {
                return Tri.False;
            }

            if (r == Tri.Indeterminate)
            {
                result = Tri.Indeterminate;
            }
        }

        return result;
    }
}
