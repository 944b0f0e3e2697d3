using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.Evaluation;
using PolicyEngine.Json;

namespace PolicyEngine.Compilation.Conditions;

/// <summary><c>eq</c>, <c>neq</c>, <c>in</c>, <c>not_in</c>. A missing value is false for all four (rule 1).</summary>
internal sealed class EqualityCondition(ValuePath path, LiteralSet literals, bool negate) : Condition
{
    public override void CollectPaths(List<ValuePath> paths) => paths.Add(path);

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

internal enum OrderingOp : byte
{
    Lt,
    Lte,
    Gt,
    Gte,
}

/// <summary><c>lt</c>, <c>lte</c>, <c>gt</c>, <c>gte</c> against an exact decimal literal (rules 1, 2, 4).</summary>
internal sealed class OrderingCondition(ValuePath path, OrderingOp op, decimal literal, double? interceptLiteral = null) : Condition
{
    // An integer literal that a long holds exactly: a small integer value is compared to it without decimal arithmetic.
    private readonly long? _longLiteral = decimal.IsInteger(literal) && literal >= long.MinValue && literal <= long.MaxValue ? (long)literal : null;

    public override void CollectPaths(List<ValuePath> paths) => paths.Add(path);

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

internal enum TextOp : byte
{
    StartsWith,
    EndsWith,
    Regex,
    Contains,
}

/// <summary>
/// <c>starts_with</c>, <c>ends_with</c>, <c>regex</c>, and <c>contains</c> (substring on strings, element
/// equality on arrays). Non-string values are indeterminate (rules 5, 6).
/// </summary>
internal sealed class TextCondition : Condition
{
    private readonly ValuePath _path;
    private readonly TextOp _op;
    private readonly string? _text;
    private readonly StringComparison _comparison;
    private readonly Regex? _regex;
    private readonly LiteralSet? _element;
    private readonly byte[]? _utf8; // the literal as UTF-8, for ordinal tests done in place
    private readonly byte[][]? _words; // a regex that is only plain words: searched for in place

    public TextCondition(ValuePath path, TextOp op, string? text, bool ignoreCase, Regex? regex, LiteralSet? element)
    {
        _path = path;
        _op = op;
        _text = text;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _regex = regex;
        _element = element;
        _utf8 = text is not null && !ignoreCase ? System.Text.Encoding.UTF8.GetBytes(text) : null;
        _words = regex is null ? null : RegexLiterals.TryGetWords(regex);
    }

    public override void CollectPaths(List<ValuePath> paths) => paths.Add(_path);

    public override Tri Evaluate(in EvalContext ctx)
    {
        var value = _path.Resolve(in ctx);
        switch (value.Kind)
        {
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                return Tri.False;
            case JsonValueKind.String:
                return _text is null && _regex is null ? Tri.Indeterminate : MatchText(in value);
            case JsonValueKind.Array when _op == TextOp.Contains:
                return ContainsElement(value.Element);
            default:
                return Tri.Indeterminate;
        }
    }

    private Tri MatchText(in ArgValue value)
    {
        if (_words is not null && value.TryGetUtf8(out var text))
        {
            return TriLogic.From(RegexLiterals.IsMatch(text, _words));
        }

        if (_utf8 is not null && value.TryGetUtf8(out var bytes))
        {
            return TriLogic.From(_op switch
            {
                TextOp.StartsWith => bytes.StartsWith(_utf8),
                TextOp.EndsWith => bytes.EndsWith(_utf8),
                _ => bytes.IndexOf(_utf8) >= 0,
            });
        }

        return MatchChars(in value);
    }

    // Out of line: the UTF-8 fast path above stays small, without this path's stack buffer and try/finally.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Tri MatchChars(in ArgValue value)
    {
        Span<char> scratch = stackalloc char[256];
        char[]? rented = null;
        try
        {
            var chars = value.GetChars(scratch, ref rented);
            return TriLogic.From(_op switch
            {
                TextOp.StartsWith => chars.StartsWith(_text, _comparison),
                TextOp.EndsWith => chars.EndsWith(_text, _comparison),
                TextOp.Contains => chars.Contains(_text, _comparison),
                _ => _regex!.IsMatch(chars),
            });
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private Tri ContainsElement(JsonElement array)
    {
        var result = Tri.False;
        foreach (var item in array.EnumerateArray())
        {
            var r = _element!.Matches(ArgValue.FromJson(item));
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

/// <summary><c>exists</c>: true iff presence matches the literal; a present <c>null</c> exists.</summary>
internal sealed class ExistsCondition(ValuePath path, bool expected) : Condition
{
    public override void CollectPaths(List<ValuePath> paths) => paths.Add(path);

    public override Tri Evaluate(in EvalContext ctx) => TriLogic.From(!path.Resolve(in ctx).IsMissing == expected);
}
