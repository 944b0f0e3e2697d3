using System.Globalization;
using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>Checks of limits: ones that can never allow a call, approvals that expire inside a window, no limits at all.</summary>
internal static class LimitChecks
{
    private static readonly TimeSpan DefaultApprovalTtl = TimeSpan.FromMinutes(15);

    public static void Run(LintContext context)
    {
        foreach (var block in context.Blocks().Where(b => b.Kind == JKind.Object))
        {
            foreach (var limit in Limits(block))
            {
                NeverAllows(context, block, limit);
            }
        }

        ApprovalTtl(context);
        DefaultAllowWithoutLimits(context);
    }

    /// <summary>A block's limits: <c>rate_limit</c>, then the items of <c>limits</c>.</summary>
    public static IEnumerable<JNode> Limits(JNode block) =>
        (block.Get("rate_limit") is { Kind: JKind.Object } rate ? [rate] : Enumerable.Empty<JNode>())
            .Concat(JsonShapes.Items(block.Get("limits")).Where(l => l.Kind == JKind.Object));

    // PE0009. Every call that passes the block's require items spends more than max: the limit denies them all.
    private static void NeverAllows(LintContext context, JNode block, JNode limit)
    {
        if (JsonShapes.String(limit.Get("cost")) is not { } cost || limit.Get("max") is not { } maxNode || JsonShapes.Number(maxNode) is not { } max)
        {
            return;
        }

        foreach (var item in JsonShapes.Items(block.Get("require")).Where(i => i.Kind == JKind.Object && JsonShapes.String(i.Get("path")) == cost))
        {
            var op = JsonShapes.String(item.Get("op"));
            var value = item.Get("value");
            var least = op switch
            {
                "eq" or "gt" or "gte" when value is { } v => JsonShapes.Number(v),
                "in" when value is { Kind: JKind.Array } list && list.Items.Length > 0 && list.Items.All(n => JsonShapes.Number(n) is not null) =>
                    list.Items.Min(n => JsonShapes.Number(n)),
                _ => null,
            };
            if (least is { } low && (low > max || (low == max && op == "gt")))
            {
                context.Add(LintCodes.LimitNeverAllows, maxNode,
                    LintMessages.LimitNeverAllows(item.Pointer, maxNode.Text, cost));
                return;
            }
        }
    }

    // PE0011. A call that needs approval and is then rate limited may wait up to a window to fit; if approvals
    // expire sooner, the person has to approve it again.
    private static void ApprovalTtl(LintContext context)
    {
        var root = context.Root;
        var ttlNode = root.Get("approval_ttl");
        var ttl = DefaultApprovalTtl;
        if (ttlNode is { } t && !Duration.TryParse(t, out ttl, out _))
        {
            return;
        }

        var allTools = root.Get("all_tools") is { Kind: JKind.Object } a ? a : (JNode?)null;
        foreach (var entry in context.Entries().Where(e => e.Value.Kind == JKind.Object))
        {
            var gate = Approval(entry.Value) ?? (allTools is { } all ? Approval(all) : null);
            if (gate is not { } approval)
            {
                continue;
            }

            var limits = Limits(entry.Value).Concat(allTools is { } b ? Limits(b) : []);
            var windows = limits.Select(l => (Limit: l, Window: Window(l))).Where(w => w.Window is not null).ToList();
            if (windows.Count == 0)
            {
                continue;
            }

            var tightest = windows.MinBy(w => w.Window!.Value);
            if (ttl < tightest.Window!.Value)
            {
                context.Add(LintCodes.ApprovalTtlShorterThanWindow, ttlNode ?? approval,
                    LintMessages.ApprovalTtlShorterThanWindow(Text(ttl), defaultTtl: ttlNode is null, Text(tightest.Window.Value), tightest.Limit.Pointer, approval.Pointer));
            }
        }
    }

    private static JNode? Approval(JNode block) =>
        JsonShapes.String(block.Get("action")) == "require_approval" ? block.Get("action")
        : block.Get("approve_if") is { Kind: JKind.Array } list && list.Items.Length > 0 ? list
        : null;

    private static TimeSpan? Window(JNode limit) =>
        limit.Get("window") is { } w && Duration.TryParse(w, out var window, out _) ? window : null;

    private static string Text(TimeSpan span) =>
        span.TotalSeconds < 120 ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : span.TotalMinutes < 120 ? span.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + "m"
        : span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture) + "h";

    // PE0012. Nothing bounds how often an agent calls anything, including tools a server adds later.
    private static void DefaultAllowWithoutLimits(LintContext context)
    {
        if (context.Root.Get("default") is { } dflt && JsonShapes.String(dflt) == "allow" && !context.Blocks().Any(b => b.Kind == JKind.Object && Limits(b).Any()))
        {
            context.Add(LintCodes.DefaultAllowWithoutLimits, dflt,
                LintMessages.DefaultAllowWithoutLimits);
        }
    }
}
