using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>Checks of whole entries: rules that can never be reached, hidden entries, redundant entries.</summary>
internal static class EntryChecks
{
    public static void Run(LintContext context)
    {
        foreach (var block in context.Blocks())
        {
            UnreachableAfterAlwaysDeny(context, block);
        }

        HiddenEntries(context);
        RedundantEntries(context);
    }

    // PE0001. `action: "deny"` or a deny_if entry with empty conditions denies every call it sees, so whatever comes
    // after it in the evaluation order (docs/policy-language.md#evaluating-a-call: action, require, deny_if, approve_if, approvals, limits) never applies.
    private static void UnreachableAfterAlwaysDeny(LintContext context, JNode block)
    {
        if (block.Kind != JKind.Object)
        {
            return;
        }

        var isAllTools = block.Pointer == "/all_tools";
        var later = new List<string>();
        JNode? denier = null;
        if (JsonShapes.String(block.Get("action")) == "deny")
        {
            denier = block.Get("action");
            later.AddRange(JsonShapes.Items(block.Get("require")).Select(n => n.Pointer));
        }

        var denyIf = JsonShapes.Items(block.Get("deny_if")).ToList();
        foreach (var entry in denyIf)
        {
            if (denier is not null)
            {
                later.Add(entry.Pointer);
            }
            else if (entry.Get("conditions") is { Kind: JKind.Array } conditions && conditions.Items.Length == 0)
            {
                denier = entry;
            }
        }

        if (denier is not { } always)
        {
            return;
        }

        later.AddRange(JsonShapes.Items(block.Get("approve_if")).Select(n => n.Pointer));
        if (JsonShapes.String(block.Get("action")) == "require_approval")
        {
            later.Add(block.Get("action")!.Value.Pointer);
        }

        foreach (var key in new[] { "rate_limit", "limits" })
        {
            if (block.Get(key) is { } limits)
            {
                later.Add(limits.Pointer);
            }
        }

        if (isAllTools)
        {
            later.AddRange(context.Entries().Select(e => e.Value.Pointer));
        }

        if (later.Count > 0)
        {
            context.Add(LintCodes.UnreachableAfterAlwaysDeny, always,
                LintMessages.UnreachableAfterAlwaysDeny(isDenyAction: always.Kind == JKind.String, isAllTools, later));
        }
    }

    // PE0002. A hide pattern that covers every name an entry matches: the entry's calls are all denied as hidden first.
    private static void HiddenEntries(LintContext context)
    {
        var hide = JsonShapes.Items(context.Root.Get("hide")).Where(h => h.IsString).ToList();
        foreach (var entry in context.Entries())
        {
            // A default JNode has no tree: look the pattern up by index, not by FirstOrDefault.
            var index = hide.FindIndex(h => GlobSets.Covers(h.Text!, entry.Name));
            if (index >= 0)
            {
                var pattern = hide[index];
                var exactTool = entry.Name.Contains('*', StringComparison.Ordinal) ? null : entry.Name;
                context.Add(LintCodes.HiddenEntry, entry, LintMessages.HiddenEntry(pattern.Pointer, pattern.Text!, exactTool));
            }
        }
    }

    // PE0003. A glob entry that matches exactly the names of an earlier glob entry, or an exact entry with the same
    // rules as a glob entry that matches it: both entries apply to every such call, so one of them says nothing new.
    private static void RedundantEntries(LintContext context)
    {
        var entries = context.Entries().ToList();
        var globs = entries.Where(e => e.Name.Contains('*', StringComparison.Ordinal)).ToList();
        for (var i = 0; i < globs.Count; i++)
        {
            if (globs.Take(i).FirstOrDefault(earlier => GlobSets.Same(earlier.Name, globs[i].Name)) is { Name: not null } twin)
            {
                context.Add(LintCodes.RedundantEntry, globs[i],
                    LintMessages.TwinGlobs(globs[i].Name, twin.Name, twin.Value.Pointer));
            }
        }

        foreach (var exact in entries.Where(e => !e.Name.Contains('*', StringComparison.Ordinal)))
        {
            if (globs.FirstOrDefault(g => GlobSets.Matches(g.Name, exact.Name) && JsonShapes.Same(g.Value, exact.Value)) is { Name: not null } glob)
            {
                context.Add(LintCodes.RedundantEntry, exact,
                    LintMessages.SameRulesAsGlob(glob.Name, glob.Value.Pointer, exact.Name));
            }
        }
    }
}
