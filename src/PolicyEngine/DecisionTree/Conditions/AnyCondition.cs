using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>any</c>: true if any child is true, else indeterminate if any is, else false.</summary>
internal sealed class AnyCondition(Condition[] children) : Condition
{
    public override Tri Evaluate(in EvalContext ctx)
    {
        var result = Tri.False;
        foreach (var child in children)
        {
            var r = child.Evaluate(in ctx);
            if (r == Tri.True)
            {
                return Tri.True;
            }

            if (r == Tri.Indeterminate)
            {
                result = Tri.Indeterminate;
            }
        }

        return result;
    }
}
