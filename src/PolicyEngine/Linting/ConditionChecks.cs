using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>
/// Checks of conditions: ones that can never hold or hold whenever the value is there (contradictory bounds in one
/// <c>all</c>, an <c>in</c> with an empty list), a <c>not</c> of a <c>not</c>, duplicate literals, and regexes.
/// </summary>
internal static class ConditionChecks
{
    public static void Run(LintContext context)
    {
        foreach (var block in context.Blocks().Where(b => b.Kind == JKind.Object))
        {
            foreach (var item in JsonShapes.Items(block.Get("require")).Where(i => i.Kind == JKind.Object))
            {
                Condition(context, item);
            }

            foreach (var entry in JsonShapes.Items(block.Get("deny_if")).Concat(JsonShapes.Items(block.Get("approve_if"))))
            {
                if (entry.Kind == JKind.Object && entry.Get("conditions") is { Kind: JKind.Array } conditions)
                {
                    Conjunction(context, conditions);
                }
            }
        }
    }

    private static void Condition(LintContext context, JNode node)
    {
        if (node.Get("all") is { Kind: JKind.Array } all)
        {
            Conjunction(context, all);
        }
        else if (node.Get("any") is { Kind: JKind.Array } any)
        {
            foreach (var child in any.Items)
            {
                Condition(context, child);
            }
        }
        else if (node.Get("not") is { Kind: JKind.Object } not)
        {
            if (not.Get("not") is { Kind: JKind.Object } inner)
            {
                // PE0005. Kleene negation is an involution: not(not(c)) is c, for indeterminate too.
                context.Add(LintCodes.DoubleNegation, node, LintMessages.DoubleNegation(inner.Pointer));
            }

            Condition(context, not);
        }
        else
        {
            Leaf(context, node);
        }
    }

    private static void Conjunction(LintContext context, JNode list)
    {
        foreach (var child in list.Items)
        {
            Condition(context, child);
        }

        ContradictoryBounds(context, list);
    }

    private static void Leaf(LintContext context, JNode leaf)
    {
        var op = JsonShapes.String(leaf.Get("op"));
        var value = leaf.Get("value");
        if (op is "in" or "not_in" && value is { Kind: JKind.Array } list)
        {
            if (list.Items.Length == 0)
            {
                // PE0004. in [] is false for every value; not_in [] is true for every present value (missing stays false).
                context.Add(LintCodes.ConstantCondition, value.Value, op == "in" ? LintMessages.EmptyIn : LintMessages.EmptyNotIn);
            }

            DuplicateLiterals(context, list, leaf.Get("ignore_case") is { Kind: JKind.True });
        }
        else if (op == "regex" && value is { Kind: JKind.String } pattern)
        {
            RegexChecks.Check(context, pattern);
        }
    }

    // PE0006. A literal listed twice in in / not_in: the same kind and the same value (numbers exactly, strings
    // ordinally, or ignoring case with ignore_case).
    private static void DuplicateLiterals(LintContext context, JNode list, bool ignoreCase)
    {
        var seen = new List<JNode>();
        foreach (var item in list.Items)
        {
            if (seen.FirstOrDefault(s => SameLiteral(s, item, ignoreCase)) is { Tree: not null } first)
            {
                context.Add(LintCodes.DuplicateLiteral, item, LintMessages.DuplicateLiteral(first.Pointer));
            }
            else
            {
                seen.Add(item);
            }
        }
    }

    private static bool SameLiteral(JNode a, JNode b, bool ignoreCase) =>
        a.Kind == JKind.String && b.Kind == JKind.String
            ? string.Equals(a.Text, b.Text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            : JsonShapes.Same(a, b);

    // PE0004. Leaves of one conjunction on the same path whose numeric bounds leave no value: they can never all hold.
    private static void ContradictoryBounds(LintContext context, JNode list)
    {
        var leaves = list.Items.Where(c => c.Kind == JKind.Object && JsonShapes.String(c.Get("path")) is not null).ToList();
        foreach (var group in leaves.GroupBy(l => JsonShapes.String(l.Get("path"))!, StringComparer.Ordinal))
        {
            var range = NumberRange.Any;
            foreach (var leaf in group)
            {
                var before = range;
                range = range.With(JsonShapes.String(leaf.Get("op")), leaf.Get("value") is { } v ? JsonShapes.Number(v) : null);
                if (range.IsEmpty && !before.IsEmpty)
                {
                    context.Add(LintCodes.ConstantCondition, leaf,
                        LintMessages.NeverAllHold(group.Key, list.Pointer));
                }
            }
        }
    }

    /// <summary>The numbers a set of bounds allows: from <see cref="Low"/> to <see cref="High"/>, each bound inclusive or not.</summary>
    private readonly record struct NumberRange(decimal? Low, bool LowIn, decimal? High, bool HighIn)
    {
        public static readonly NumberRange Any = new(null, false, null, false);

        public bool IsEmpty => Low is { } l && High is { } h && (l > h || (l == h && !(LowIn && HighIn)));

        public NumberRange With(string? op, decimal? n) => (op, n) switch
        {
            (_, null) => this,
            ("gt", { } x) => Raise(x, inclusive: false),
            ("gte", { } x) => Raise(x, inclusive: true),
            ("lt", { } x) => Lower(x, inclusive: false),
            ("lte", { } x) => Lower(x, inclusive: true),
            ("eq", { } x) => Raise(x, inclusive: true).Lower(x, inclusive: true),
            _ => this,
        };

        private NumberRange Raise(decimal x, bool inclusive) =>
            Low is { } l && (l > x || (l == x && !LowIn)) ? this : this with { Low = x, LowIn = inclusive };

        private NumberRange Lower(decimal x, bool inclusive) =>
            High is { } h && (h < x || (h == x && !HighIn)) ? this : this with { High = x, HighIn = inclusive };
    }
}
