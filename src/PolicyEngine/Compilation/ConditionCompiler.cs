using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.DecisionTree.Conditions;
using PolicyEngine.Document;
using PolicyEngine.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Compilation;

/// <summary>Validates and compiles conditions (docs/policy-language.md#conditions): leaves, <c>all</c>, <c>any</c>, <c>not</c>.</summary>
internal sealed class ConditionCompiler(Diagnostics d)
{
    private readonly CompileCache _cache = new();

    /// <summary>The shared parts of this document's tree, for the block compiler's own conditions.</summary>
    public CompileCache Cache => _cache;

    /// <summary>When set, receives the path of every leaf compiled, in document order (what the block's rules read).</summary>
    public List<ValuePath>? PathSink { get; set; }
    private readonly List<Literal> _literals = []; // reused: a set is built from a copy only when it is new
    private readonly List<Condition> _children = [];

    public const int MaxLiterals = 10_000;
    public const int MaxChildren = 1_000;
    public const int MaxRegexLength = 4_096;

    // The allowed keys of each form, made once: they are also the list an unknown-key error prints.
    private static readonly string[] Combinators = ["all", "any", "not"];
    private static readonly string[][] CombinatorKeys = [["all"], ["any"], ["not"]];
    private static readonly string[][] CombinatorKeysOnFail = [["all", "on_fail"], ["any", "on_fail"], ["not", "on_fail"]];
    private static readonly string[] LeafKeys = ["path", "op", "value", "ignore_case"];
    private static readonly string[] LeafKeysOnFail = [.. LeafKeys, "on_fail"];

    /// <summary>Compiles a condition object; <paramref name="onFail"/>: the caller handles a sibling <c>on_fail</c> key.</summary>
    public Condition? Compile(JNode node, bool onFail = false)
    {
        if (!KeyCheck.IsObject(node, d, "A condition"))
        {
            return null;
        }

        int form = -1, count = 0;
        for (int i = 0; i < Combinators.Length; i++)
        {
            if (node.Get(Combinators[i]) is not null)
            {
                form = count++ == 0 ? i : form;
            }
        }

        if (count > 1 || (count == 1 && node.Get("path") is not null))
        {
            d.Add(node, ValidationMessages.ConditionForm);
            return null;
        }

        if (form < 0)
        {
            KeyCheck.OnlyKeys(node, d, "a condition", onFail ? LeafKeysOnFail : LeafKeys);
            return CompileLeaf(node);
        }

        KeyCheck.OnlyKeys(node, d, "a condition", (onFail ? CombinatorKeysOnFail : CombinatorKeys)[form]);
        var child = node.Get(Combinators[form])!.Value;
        if (form == 2)
        {
            var inner = Compile(child);
            return inner is null ? null : new NotCondition(inner);
        }

        return CompileList(child, form == 0 ? "'all'" : "'any'", all: form == 0);
    }

    /// <summary>Compiles an array of conditions joined by <c>all</c> (an empty one always holds); null if any fails.</summary>
    public Condition? CompileAll(JNode array, string what) => CompileList(array, what, all: true);

    private Condition? CompileList(JNode array, string what, bool all)
    {
        if (!KeyCheck.IsArray(array, d, what, MaxChildren))
        {
            return null;
        }

        // The children go on one stack shared by the lists open at once, so a list's own array is made only when kept.
        int start = _children.Count;
        bool ok = true;
        foreach (var item in array.Items)
        {
            var c = Compile(item);
            ok &= c is not null;
            if (c is not null)
            {
                _children.Add(c);
            }
        }

        var children = CollectionsMarshal.AsSpan(_children)[start..];
        Condition? result = !ok ? null : all ? AllOf.Create(children) : new AnyCondition(children.ToArray());
        _children.RemoveRange(start, children.Length);
        return result;
    }

    public ValuePath? CompilePath(JNode node)
    {
        if (node.Kind != JKind.String)
        {
            d.Add(node, ValidationMessages.PathNotString(node));
            return null;
        }

        if (_cache.Path(node.Text!, out var error) is not { } path)
        {
            d.Add(node, ValidationMessages.InvalidPath(node.Text!, error));
            return null;
        }

        return path;
    }

    private Condition? CompileLeaf(JNode node)
    {
        var pathNode = KeyCheck.Required(node, "path", d, "A condition");
        var opNode = KeyCheck.Required(node, "op", d, "A condition");
        var valueNode = KeyCheck.Required(node, "value", d, "A condition");
        var path = pathNode is { } p ? CompilePath(p) : null;
        if (path is not null)
        {
            PathSink?.Add(path);
        }

        bool ignoreCase = false;
        var icNode = node.Get("ignore_case");
        if (icNode is { } ic)
        {
            if (ic.IsBool)
            {
                ignoreCase = ic.Kind == JKind.True;
            }
            else
            {
                d.Add(ic, ValidationMessages.IgnoreCaseBoolean);
            }
        }

        if (opNode is not { } opValue || valueNode is not { } value)
        {
            return null;
        }

        if (opValue.Kind != JKind.String)
        {
            d.Add(opValue, ValidationMessages.OpNotString(opValue));
            return null;
        }

        string op = opValue.Text!;
        bool stringOp = OperatorNames.StringComparing.Contains(op, StringComparer.Ordinal);
        if (ignoreCase && !stringOp)
        {
            d.Add(icNode!.Value, ValidationMessages.IgnoreCaseNotFor(op));
        }

        Condition? result = op switch
        {
            "eq" or "neq" => Scalar(value) is { } l ? Equality(path, [l], ignoreCase, op == "neq") : null,
            "in" or "not_in" => Scalars(value) ? Equality(path, CollectionsMarshal.AsSpan(_literals), ignoreCase, op == "not_in") : null,
            "lt" or "lte" or "gt" or "gte" => Ordering(path, op, value),
            "regex" => Regex(path, value, ignoreCase),
            "starts_with" or "ends_with" => Text(path, op == "starts_with" ? TextOp.StartsWith : TextOp.EndsWith, value, ignoreCase),
            "contains" => Contains(path, value, ignoreCase),
            "exists" => Exists(path, value),
            _ => Unknown(opValue),
        };
        return path is null ? null : result;
    }

    private Condition? Equality(ValuePath? path, ReadOnlySpan<Literal> literals, bool ignoreCase, bool negate) =>
        path is null ? null : _cache.Equality(path, _cache.LiteralSet(literals, ignoreCase), negate);

    private Condition? Ordering(ValuePath? path, string op, JNode value)
    {
        if (value.Kind != JKind.Number)
        {
            d.Add(value, ValidationMessages.NeedsNumber(op, value));
            return null;
        }

        if (!ExactNumber.TryParseExact(value.NumberUtf8, out decimal literal))
        {
            d.Add(value, ValidationMessages.NotExact(value.Text!));
            return null;
        }

        var ordering = op switch { "lt" => OrderingOp.Lt, "lte" => OrderingOp.Lte, "gt" => OrderingOp.Gt, _ => OrderingOp.Gte };
        if (value.Tree.InterceptSemantics)
        {
            // Intercept compares JSON numbers only, as doubles: also holding as doubles keeps this never more permissive.
            double asDouble = double.Parse(value.Text!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            return path is null ? null : new OrderingCondition(path, ordering, literal, asDouble);
        }

        return path is null ? null : new OrderingCondition(path, ordering, literal);
    }

    private Condition? Regex(ValuePath? path, JNode value, bool ignoreCase)
    {
        if (value.Kind != JKind.String)
        {
            d.Add(value, ValidationMessages.RegexNotString(value));
            return null;
        }

        if (value.Text!.Length > MaxRegexLength)
        {
            d.Add(value, ValidationMessages.RegexTooLong(MaxRegexLength));
            return null;
        }

        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0);
        try
        {
            var regex = _cache.Regex(EndAnchor.Rewrite(value.Text!), options);

            return path is null ? null : new TextCondition(path, TextOp.Regex, null, ignoreCase, regex, null);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            d.Add(value, ValidationMessages.RegexNotLinear(RegexError(value.Text!, options, ex)));
            return null;
        }
    }

    // The rewrite (EndAnchor) keeps a pattern valid or invalid; the message should quote the pattern as written.
    private static string RegexError(string pattern, RegexOptions options, Exception rewritten)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, options);
            return rewritten.Message;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return ex.Message;
        }
    }

    private Condition? Text(ValuePath? path, TextOp op, JNode value, bool ignoreCase)
    {
        if (value.Kind != JKind.String)
        {
            d.Add(value, ValidationMessages.NeedsString(value));
            return null;
        }

        return path is null ? null : new TextCondition(path, op, value.Text, ignoreCase, null, null);
    }

    private Condition? Contains(ValuePath? path, JNode value, bool ignoreCase)
    {
        if (Scalar(value) is not { } literal)
        {
            return null;
        }

        string? text = value.Kind == JKind.String ? value.Text : null;
        var element = _cache.LiteralSet([literal], ignoreCase);
        return path is null ? null : new TextCondition(path, TextOp.Contains, text, ignoreCase, null, element);
    }

    private Condition? Exists(ValuePath? path, JNode value)
    {
        if (!value.IsBool)
        {
            d.Add(value, ValidationMessages.ExistsBoolean(value));
            return null;
        }

        return path is null ? null : _cache.Exists(path, value.Kind == JKind.True);
    }

    private Condition? Unknown(JNode op)
    {
        d.Add(op, ValidationMessages.UnknownOperator(op.Text!, OperatorNames.AsSentence()));
        return null;
    }

    /// <summary>Reads the literals of 'in' / 'not_in' into <see cref="_literals"/>; false if any is not one.</summary>
    private bool Scalars(JNode node)
    {
        if (!KeyCheck.IsArray(node, d, "The value of 'in' / 'not_in'", MaxLiterals))
        {
            return false;
        }

        _literals.Clear();
        foreach (var item in node.Items)
        {
            if (Scalar(item) is not { } l)
            {
                return false;
            }

            _literals.Add(l);
        }

        return true;
    }

    private Literal? Scalar(JNode node)
    {
        switch (node.Kind)
        {
            case JKind.String:
                bool numeric = ExactNumber.Parse(node.Text.AsSpan(), out decimal n) == NumberStatus.Exact;
                return new Literal(JsonValueKind.String, node.Text, n, numeric);
            case JKind.Number:
                if (!ExactNumber.TryParseExact(node.Text!, out decimal number))
                {
                    d.Add(node, ValidationMessages.NotExact(node.Text!));
                    return null;
                }

                return new Literal(JsonValueKind.Number, node.Text, number, false);
            case JKind.True:
                return new Literal(JsonValueKind.True, null, 0, false);
            case JKind.False:
                return new Literal(JsonValueKind.False, null, 0, false);
            case JKind.Null:
                return new Literal(JsonValueKind.Null, null, 0, false);
            default:
                d.Add(node, ValidationMessages.LiteralKind(node));
                return null;
        }
    }
}
