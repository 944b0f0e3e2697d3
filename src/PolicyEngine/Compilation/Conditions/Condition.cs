using PolicyEngine.Evaluation;

namespace PolicyEngine.Compilation.Conditions;

/// <summary>A node of a compiled condition tree. Nodes are immutable and shared by every evaluation.</summary>
internal abstract class Condition
{
    public abstract Tri Evaluate(in EvalContext ctx);

    /// <summary>Adds the paths this node and its children read.</summary>
    public abstract void CollectPaths(List<ValuePath> paths);
}

/// <summary><c>all</c>: false if any child is false, else indeterminate if any is, else true.</summary>
internal sealed class AllCondition(Condition[] children) : Condition
{
    public override void CollectPaths(List<ValuePath> paths) => Array.ForEach(children, c => c.CollectPaths(paths));

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

/// <summary><c>any</c>: true if any child is true, else indeterminate if any is, else false.</summary>
internal sealed class AnyCondition(Condition[] children) : Condition
{
    public override void CollectPaths(List<ValuePath> paths) => Array.ForEach(children, c => c.CollectPaths(paths));

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

/// <summary><c>not</c>: swaps true and false, keeps indeterminate.</summary>
internal sealed class NotCondition(Condition child) : Condition
{
    public override Tri Evaluate(in EvalContext ctx) => TriLogic.Not(child.Evaluate(in ctx));

    public override void CollectPaths(List<ValuePath> paths) => child.CollectPaths(paths);
}

/// <summary>Always true: a <c>deny_if</c> entry with empty <c>conditions</c> always fires.</summary>
internal sealed class TrueCondition : Condition
{
    public static readonly TrueCondition Instance = new();

    public override Tri Evaluate(in EvalContext ctx) => Tri.True;

    public override void CollectPaths(List<ValuePath> paths)
    {
    }
}
