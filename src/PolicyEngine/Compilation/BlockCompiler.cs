using System.Text.RegularExpressions;
using PolicyEngine.Compilation.Conditions;
using PolicyEngine.Document;
using PolicyEngine.Limits;

namespace PolicyEngine.Compilation;

/// <summary>Validates and compiles rule blocks (spec §2): action, require, deny_if, approve_if, limits, pin.</summary>
internal sealed partial class BlockCompiler(Diagnostics d, ConditionCompiler conditions, LimitCompiler limits)
{
    public const int MaxItems = 10_000;

    private static readonly string[] BlockKeys = ["action", "reason", "require", "deny_if", "approve_if", "rate_limit", "limits", "pin"];
    private static readonly string[] DenyEntryKeys = ["conditions", "on_deny"];
    private static readonly string[] ApproveEntryKeys = ["conditions", "reason"];

    // Many tools require the same paths; each sentence is written once.
    private readonly Dictionary<string, string> _mustBePresent = new(StringComparer.Ordinal);

    public RuleBlock? Compile(JNode node, bool isAllTools)
    {
        string what = isAllTools ? "'all_tools'" : "A tools entry";
        if (!KeyCheck.IsObject(node, d, what))
        {
            return null;
        }

        KeyCheck.OnlyKeys(node, d, isAllTools ? "all_tools" : "a tools entry", BlockKeys);
        string? reason = KeyCheck.OptionalString(node, "reason", d);
        DecisionOutcome? action = null;
        if (node.Get("action") is { } actionNode)
        {
            if (isAllTools)
            {
                d.Add(actionNode, "'action' is not allowed in all_tools; use deny_if with empty conditions.");
            }
            else
            {
                action = Action(actionNode, reason);
            }
        }

        string? pin = null;
        if (node.Get("pin") is { } pinNode)
        {
            if (pinNode.Kind == JKind.String && PinPattern().IsMatch(pinNode.Text!))
            {
                pin = pinNode.Text;
            }
            else
            {
                d.Add(pinNode, "'pin' must be \"sha256:\" followed by 64 lowercase hex digits.");
            }
        }

        var rl = node.Get("rate_limit") is { } rateLimit ? limits.Compile(rateLimit) : null;
        var limitItems = node.Get("limits") is { } limitsNode && KeyCheck.IsArray(limitsNode, d, "'limits'", MaxItems) ? limitsNode.Items : [];
        var blockLimits = new LimitDefinition[(rl is null ? 0 : 1) + limitItems.Length];
        int count = 0;
        if (rl is not null)
        {
            blockLimits[count++] = rl;
        }

        foreach (var item in limitItems)
        {
            if (limits.Compile(item) is { } l)
            {
                blockLimits[count++] = l;
            }
        }

        return new RuleBlock
        {
            Pointer = node.Pointer,
            Pin = pin,
            PinFailed = pin is null ? null : new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.DefinitionChanged, JsonPointer.Append(node.Pointer, "pin"),
                "The tool's definition is missing or differs from the one this policy pinned."),
            Action = action,
            Require = Require(node.Get("require")),
            DenyIf = Entries(node.Get("deny_if"), "on_deny", deny: true),
            ApproveIf = Entries(node.Get("approve_if"), "reason", deny: false),
            Limits = Arrays.Trim(blockLimits, count),
        };
    }

    private DecisionOutcome? Action(JNode node, string? reason)
    {
        string pointer = node.Pointer;
        switch (node.Kind == JKind.String ? node.Text : null)
        {
            case "allow":
                return null;
            case "deny":
                return new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Denied, pointer, reason ?? "This tool is denied by policy.");
            case "require_approval":
                return new DecisionOutcome(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, pointer, reason ?? "This tool needs a person's approval.");
            default:
                d.Add(node, "'action' must be \"allow\", \"deny\" or \"require_approval\".");
                return null;
        }
    }

    private RuleItem[] Require(JNode? found)
    {
        if (found is not { } node || !KeyCheck.IsArray(node, d, "'require'", MaxItems))
        {
            return [];
        }

        var items = new RuleItem[node.Items.Length];
        int count = 0;
        foreach (var item in node.Items)
        {
            Condition? condition;
            string? onFail = null;
            string described;
            if (item.Kind == JKind.String)
            {
                var path = conditions.CompilePath(item);
                condition = path is null ? null : conditions.Cache.Exists(path, true);
                if (!_mustBePresent.TryGetValue(item.Text!, out described!))
                {
                    _mustBePresent.Add(item.Text!, described = $"'{item.Text}' must be present.");
                }
            }
            else
            {
                condition = conditions.Compile(item, onFail: true);
                onFail = item.Kind == JKind.Object ? KeyCheck.OptionalString(item, "on_fail", d) : null;
                described = "A required condition does not hold.";
            }

            if (condition is not null)
            {
                items[count++] = new RuleItem(condition,
                    new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.RequirementFailed, item.Pointer, onFail ?? described),
                    Indeterminate(item.Pointer));
            }
        }

        return Arrays.Trim(items, count);
    }

    private RuleItem[] Entries(JNode? found, string messageKey, bool deny)
    {
        string what = deny ? "'deny_if'" : "'approve_if'";
        string entryWhat = deny ? "An entry of 'deny_if'" : "An entry of 'approve_if'";
        if (found is not { } node || !KeyCheck.IsArray(node, d, what, MaxItems))
        {
            return [];
        }

        var items = new RuleItem[node.Items.Length];
        int count = 0;
        foreach (var entry in node.Items)
        {
            if (!KeyCheck.IsObject(entry, d, entryWhat))
            {
                continue;
            }

            KeyCheck.OnlyKeys(entry, d, deny ? "an entry of 'deny_if'" : "an entry of 'approve_if'", deny ? DenyEntryKeys : ApproveEntryKeys);
            string? message = KeyCheck.OptionalString(entry, messageKey, d);
            var list = KeyCheck.Required(entry, "conditions", d, entryWhat);
            var children = list is { } l ? conditions.CompileList(l, "'conditions'") : null;
            if (children is null)
            {
                continue;
            }

            Condition condition = children.Length switch
            {
                0 => TrueCondition.Instance,
                1 => children[0],
                _ => new AllCondition(children),
            };
            var fired = deny
                ? new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Denied, entry.Pointer, message ?? "A deny_if rule matched this call.")
                : new DecisionOutcome(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, entry.Pointer, message ?? "This call needs a person's approval.");
            items[count++] = new RuleItem(condition, fired, Indeterminate(entry.Pointer));
        }

        return Arrays.Trim(items, count);
    }

    private static DecisionOutcome Indeterminate(string pointer) => new(PolicyEffect.Deny, DecisionCodes.Indeterminate, pointer,
        "A rule could not be decided because a value it reads is mistyped or not exactly comparable, so the call was denied.");

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex PinPattern();
}
