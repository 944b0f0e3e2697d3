using System.Text.Json;
using PolicyEngine.Compilation;
using PolicyEngine.Document;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Linting;

/// <summary>Checks against a server's tool listing (<c>--tools</c>): pins, costs and coverage.</summary>
internal static class ToolChecks
{
    public static void Run(LintContext context)
    {
        if (context.Tools is not { } tools)
        {
            return;
        }

        foreach (var entry in context.Entries().Where(e => e.Value.Kind == JKind.Object))
        {
            if (entry.Value.Get("pin") is { Kind: JKind.String } pin)
            {
                Pinned(context, tools, entry, pin);
            }
        }

        Uncovered(context, tools);
    }

    private static void Pinned(LintContext context, IReadOnlyList<ListedTool> tools, JMember entry, JNode pin)
    {
        if (tools.FirstOrDefault(t => t.Pin == pin.Text) is { } tool)
        {
            foreach (var limit in LimitChecks.Limits(entry.Value))
            {
                CostInSchema(context, tool, limit);
            }

            return;
        }

        // PE0013.
        var named = tools.FirstOrDefault(t => t.Name == entry.Name);
        context.Add(LintCodes.PinnedToolNotListed, pin, named is null
            ? LintMessages.PinnedToolGone(entry.Name)
            : LintMessages.PinnedToolChanged(named.Name, named.Pin));
    }

    // PE0010. The cost path names arguments that the pinned input schema does not declare: every call would be
    // missing its cost, and so denied as indeterminate.
    private static void CostInSchema(LintContext context, ListedTool tool, JNode limit)
    {
        if (limit.Get("cost") is not { Kind: JKind.String } cost || !PathParser.TryParse(cost.Text!, out var path, out _) ||
            path!.Root != PathRoot.Args || tool.InputSchema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var schema = tool.InputSchema;
        foreach (var segment in path.Segments)
        {
            var next = segment.Name is { } name
                ? schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                    ? properties.TryGetProperty(name, out var property) ? property : (JsonElement?)null
                    : default(JsonElement) // no declared properties: anything may be there
                : schema.TryGetProperty("items", out var items) ? items : default(JsonElement);
            if (next is null)
            {
                context.Add(LintCodes.CostNotInSchema, cost,
                    LintMessages.CostNotInSchema(tool.Name, segment.Name));
                return;
            }

            if (next.Value.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            schema = next.Value;
        }
    }

    // PE0014. A listed tool that no tools key matches (and no hide pattern hides) is decided by default alone.
    private static void Uncovered(LintContext context, IReadOnlyList<ListedTool> tools)
    {
        var keys = context.Entries().Select(e => e.Name).ToList();
        var hide = JsonShapes.Items(context.Root.Get("hide")).Select(h => JsonShapes.String(h)).OfType<string>().ToList();
        var at = context.Root.Get("tools") ?? context.Root;
        var allow = JsonShapes.String(context.Root.Get("default")) == "allow";
        foreach (var tool in tools.Where(t => !keys.Any(k => GlobSets.Matches(k, t.Name)) && !hide.Any(h => GlobSets.Matches(h, t.Name))))
        {
            context.Add(LintCodes.ListedToolNotCovered, at, allow
                ? LintMessages.ListedToolAllowed(tool.Name)
                : LintMessages.ListedToolDenied(tool.Name));
        }
    }
}
