using System.Text.Json;
using PolicyEngine.Json;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary><c>lt</c>, <c>lte</c>, <c>gt</c>, <c>gte</c> against an exact decimal literal (rules 1, 2, 4).</summary>
internal sealed class OrderingCondition(ValuePath path, OrderingOp op, decimal literal, double? interceptLiteral = null) : Condition
{
    // An integer literal that a long holds exactly: a small integer value is compared to it without decimal arithmetic.
    // Stryker disable once Conditional : equivalent. Without it every value takes the exact decimal path below, which
    // orders the same integers the same way; the long only saves the decimal work.
    private readonly long? _longLiteral = decimal.IsInteger(literal) && literal >= long.MinValue && literal <= long.MaxValue ? (long)literal : null;

    public override Tri Evaluate(in EvalContext ctx)
    {
        var value = path.Resolve(in ctx);
        if (value.IsMissing || value.Kind == JsonValueKind.Null)
        {
            return Tri.False;
        }

        if (interceptLiteral is { } asDouble && !HoldsAsDouble(in value, asDouble))
        {
            return Tri.False; // Intercept's comparison: a JSON number only, as a double
        }

        int c;
        if (_longLiteral is { } integer && value.TryGetSmallInteger(out long n))
        {
            c = n.CompareTo(integer);
        }
        else if (value.GetNumber(out decimal d) == NumberStatus.Exact)
        {
            c = d.CompareTo(literal);
        }
        else
        {
            return Tri.Indeterminate;
        }

        return TriLogic.From(op switch
        {
            OrderingOp.Lt => c < 0,
            OrderingOp.Lte => c <= 0,
            OrderingOp.Gt => c > 0,
            _ => c >= 0,
        });
    }

    private bool HoldsAsDouble(in ArgValue value, double literal)
    {
        if (value.Kind != JsonValueKind.Number || !value.TryGetDouble(out double d))
        {
            return false;
        }

        return op switch
        {
            OrderingOp.Lt => d < literal,
            OrderingOp.Lte => d <= literal,
            OrderingOp.Gt => d > literal,
            _ => d >= literal,
        };
    }
}
