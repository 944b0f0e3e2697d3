using System.Globalization;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// Translates an Intercept document into this engine's document model, to be compiled by the normal compiler:
/// a tool's rules become its <c>deny_if</c> entries in order (an <c>evaluate</c> rule fires when not all its
/// conditions hold, a <c>deny</c> rule always), <c>rate_limit</c> a global calendar-window limit, <c>"*"</c> the
/// <c>all_tools</c> block (which, as in Intercept, lists no tool under <c>default: deny</c>). docs/intercept.md
/// lists every construct and deviation.
/// </summary>
internal sealed partial class InterceptTranslator
{
    private readonly Diagnostics _d;
    private readonly TreeWriter _w;
    private readonly InterceptConditions _conditions;

    private InterceptTranslator(Diagnostics d, int sourceLength)
    {
        _d = d;
        _w = new TreeWriter(sourceLength);
        _conditions = new InterceptConditions(_w, d);
    }

    /// <summary>The translated document, or null (its tree given back) when the Intercept document has errors.</summary>
    public static JTree? Translate(JNode root, Diagnostics d, int sourceLength)
    {
        var t = new InterceptTranslator(d, sourceLength);
        bool ok = InterceptShape.NotMixed(root, d);
        ok &= InterceptShape.OnlyKeys(root, d, "an Intercept document", "version", "description", "default", "hide", "tools", "all_tools", "mode", "approval_ttl");
        ok &= t.Document(root);
        if (ok)
        {
            return t._w.Tree;
        }

        t._w.Tree.Dispose();
        return null;
    }

    private bool Document(JNode root)
    {
        int doc = _w.Root(root);
        bool ok = true;
        if (root.Get("version") is { } version)
        {
            // Go reads `version: 1` into its string field as "1".
            _ = version.Kind == JKind.Number && version.Text == "1" ? _w.String(doc, "version", "1", version) : _w.Copy(doc, "version", version);
        }
        else
        {
            _d.Add(root, ValidationMessages.InterceptVersion);
            ok = false;
        }

        if (root.Get("description") is { } description)
        {
            _w.Copy(doc, "description", description);
        }

        // Intercept's default posture is allow.
        _ = root.Get("default") is { } def ? _w.Copy(doc, "default", def) : _w.String(doc, "default", "allow", root);
        if (root.Get("hide") is { } hide)
        {
            // Intercept hides exact names and "*" (all); here a hide entry is a glob, which can only hide more.
            _w.Copy(doc, "hide", hide);
        }

        if (root.Get("tools") is not { Kind: JKind.Object } tools)
        {
            _d.Add(root.Get("tools") ?? root, ValidationMessages.InterceptTools);
            return false;
        }

        int own = -1;
        foreach (var tool in tools.Members)
        {
            if (tool.Name == "*")
            {
                ok &= Block(doc, "all_tools", tool.Value, "_global");
                continue;
            }

            if (tool.Name.Contains('*', StringComparison.Ordinal))
            {
                // Exact there, a glob here: under default: deny it would let more tools through.
                _d.AddAt(tool.Value.Pointer, tool.NameOffset, ValidationMessages.InterceptGlobName(tool.Name));
                ok = false;
                continue;
            }

            own = own < 0 ? _w.Object(doc, "tools", tools) : own;
            ok &= Block(own, tool.Name, tool.Value, tool.Name);
        }

        return ok;
    }

    private bool Block(int parent, string key, JNode tool, string scope)
    {
        int block = _w.Object(parent, key, tool);
        if (tool.Kind == JKind.Null)
        {
            return true; // `read_file:` with nothing under it: listed, no rules
        }

        if (tool.Kind != JKind.Object)
        {
            _d.Add(tool, ValidationMessages.InterceptToolEntry(tool));
            return false;
        }

        if (!InterceptShape.OnlyKeys(tool, _d, "an Intercept tool entry", "rules"))
        {
            return false;
        }

        if (tool.Get("rules") is not { } rules || rules.Kind == JKind.Null)
        {
            return true;
        }

        if (rules.Kind != JKind.Array)
        {
            _d.Add(rules, ValidationMessages.InterceptRules(rules));
            return false;
        }

        var target = new Target(block, scope);
        bool ok = true;
        int index = 0;
        foreach (var rule in rules.Items)
        {
            ok &= Rule(target, rule, index++);
        }

        return ok;
    }

    private bool Rule(Target target, JNode rule, int index)
    {
        if (rule.Kind != JKind.Object)
        {
            _d.Add(rule, ValidationMessages.InterceptRule(rule));
            return false;
        }

        if (!InterceptShape.OnlyKeys(rule, _d, "an Intercept rule", "name", "action", "rate_limit", "conditions", "on_deny", "state"))
        {
            return false;
        }

        string? name = Text(rule, "name");
        string? action = Text(rule, "action") ?? "evaluate";
        string? onDeny = Text(rule, "on_deny");
        if (string.IsNullOrEmpty(name))
        {
            _d.Add(rule.Get("name") ?? rule, ValidationMessages.InterceptRuleName);
            return false;
        }

        var conditions = rule.Get("conditions");
        if (rule.Get("rate_limit") is { } rateLimit)
        {
            if (conditions is not null || action != "evaluate")
            {
                _d.Add(rateLimit, ValidationMessages.InterceptRateLimitCombined);
                return false;
            }

            return RateLimit(target, rateLimit, name, onDeny, index);
        }

        if (action is not ("evaluate" or "deny"))
        {
            _d.Add(rule.Get("action")!.Value, ValidationMessages.InterceptAction);
            return false;
        }

        if (action == "deny")
        {
            if (conditions is not null || rule.Get("state") is not null)
            {
                _d.Add(rule.Get("conditions") ?? rule.Get("state")!.Value, ValidationMessages.InterceptDenyRule);
                return false;
            }

            Entry(target, rule, name, onDeny); // no conditions: the entry always fires
            return true;
        }

        if (conditions is not { Kind: JKind.Array } list || list.Items.Length == 0)
        {
            _d.Add(conditions ?? rule, ValidationMessages.InterceptEvaluateRule);
            return false;
        }

        // Conditions on counters become a limit; the others, the entry that fires when one of them fails.
        bool ok = Counter(target, rule, list, name, onDeny, index);
        int all = -1;
        foreach (var condition in list.Items)
        {
            if (!IsStatePath(condition))
            {
                // Fires when not every condition holds; an indeterminate one denies too.
                all = all >= 0 ? all : _w.Array(_w.Object(_w.Object(Entry(target, rule, name, onDeny), null, list), "not", list), "all", list);
                ok &= _conditions.Write(all, condition);
            }
        }

        return ok;
    }

    /// <summary>A <c>deny_if</c> entry for the rule; returns its <c>conditions</c> array.</summary>
    private int Entry(Target target, JNode rule, string name, string? onDeny)
    {
        target.DenyIf = target.DenyIf < 0 ? _w.Array(target.Block, "deny_if", rule) : target.DenyIf;
        int entry = _w.Object(target.DenyIf, null, rule);
        int fires = _w.Array(entry, "conditions", rule);
        _w.String(entry, "on_deny", onDeny ?? ValidationMessages.InterceptDenied(name), rule.Get("on_deny") ?? rule);
        return fires;
    }

    private bool RateLimit(Target target, JNode node, string name, string? onDeny, int index)
    {
        string[] parts = node.IsString ? node.Text!.Split('/', 2) : [];
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0
            || parts[1] is not ("minute" or "hour" or "day"))
        {
            _d.Add(node, ValidationMessages.InterceptRateLimit);
            return false;
        }

        if (!NewCounter(target, "_rate_" + parts[1], index, node))
        {
            return false;
        }

        Limit(target, node, count, parts[1], name, onDeny ?? ValidationMessages.InterceptRateLimited(count, parts[1]), cost: null);
        return true;
    }

    private string? Text(JNode obj, string key)
    {
        if (obj.Get(key) is not { } node)
        {
            return null;
        }

        if (!node.IsString)
        {
            _d.Add(node, ValidationMessages.MustBeString(key, node));
            return "";
        }

        return node.Text;
    }
}
