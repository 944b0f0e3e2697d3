using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>
/// <c>all</c> of a few children, held in fields: a large policy has one per <c>deny_if</c> entry, and an array
/// beside each would double the objects the compiled policy keeps. Children run in order, as in <see cref="AllCondition"/>.
/// </summary>
internal static class AllOf
{
    /// <summary>The condition that holds when all of <paramref name="children"/> do; an empty list always holds.</summary>
    public static Condition Create(ReadOnlySpan<Condition> children) => children.Length switch
    {
        0 => TrueCondition.Instance,
        1 => children[0],
        2 => new AllOf2(children[0], children[1]),
        3 => new AllOf3(children[0], children[1], children[2]),
        4 => new AllOf4(children[0], children[1], children[2], children[3]),
        _ => new AllCondition(children.ToArray()),
    };

    /// <summary>
    /// Runs <paramref name="next"/> and folds it into <paramref name="result"/>: false when it is false (the
    /// caller stops), else <paramref name="result"/> becomes indeterminate if either is, true otherwise.
    /// </summary>
    public static bool Holds(Condition next, in EvalContext ctx, ref Tri result)
    {
        var r = next.Evaluate(in ctx);
        if (r == Tri.False)
        {
            return false;
        }

        result = result == Tri.Indeterminate ? result : r;
        return true;
    }
}
