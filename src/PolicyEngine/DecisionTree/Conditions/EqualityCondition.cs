using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>eq</c>, <c>neq</c>, <c>in</c>, <c>not_in</c>. A missing value is false for all four (rule 1).</summary>
internal sealed class EqualityCondition(ValuePath path, LiteralSet literals, bool negate) : Condition
{
    public override Tri Evaluate(in EvalContext ctx)
    {
        var value = path.Resolve(in ctx);
        if (value.IsMissing)
        {
            return Tri.False;
        }

        var r = literals.Matches(in value);
        return negate ? TriLogic.Not(r) : r;
    }
}
