using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PolicyEngine.DecisionTree.Conditions;
using PolicyEngine.Document;
using PolicyEngine.DecisionTree;
using PolicyEngine.Json;

namespace PolicyEngine.Compilation;

/// <summary>Validates and compiles rule blocks (docs/policy-language.md#rule-blocks): action, require, deny_if, approve_if, limits, pin.</summary>
internal sealed partial class BlockCompiler(Diagnostics d, ConditionCompiler conditions, LimitCompiler limits, ArgNames names)
{
    public const int MaxItems = 10_000;

    private static readonly string[] BlockKeys = ["action", "reason", "require", "deny_if", "approve_if", "rate_limit", "limits", "pin"];
    private static readonly string[] DenyEntryKeys = ["conditions", "on_deny"];
    private static readonly string[] ApproveEntryKeys = ["conditions", "reason"];

    // Many tools require the same paths; each sentence is written once.
    private readonly Dictionary<string, string> _mustBePresent = new(StringComparer.Ordinal);
    private readonly List<RuleItem> _rules = []; // reused: a block's rules are then copied into the shared store
    private readonly List<ValuePath> _paths = []; // reused: the paths the block's rules read, in order
    private readonly ChunkStore<RuleItem> _store = new(); // a block's rules are a range of it (see ChunkStore)

    /// <summary>Compiles <c>all_tools</c> (<paramref name="toolKey"/> null) or the tools entry with that key.</summary>
    public RuleBlock? Compile(JNode node, string? toolKey)
    {
        bool isAllTools = toolKey is null;
        string what = isAllTools ? "'all_tools'" : "A tools entry";
        if (!KeyCheck.IsObject(node, d, what))
        {
            return null;
        }

        KeyCheck.OnlyKeys(node, d, isAllTools ? "all_tools" : "a tools entry", BlockKeys);
        string? reason = KeyCheck.OptionalString(node, "reason", d);
        var action = BlockAction.None;
        if (node.Get("action") is { } actionNode)
        {
            if (isAllTools)
            {
                d.Add(actionNode, ValidationMessages.ActionInAllTools);
            }
            else
            {
                action = Action(actionNode);
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
                d.Add(pinNode, ValidationMessages.Pin(PinHasher.Prefix, PinHexDigits));
            }
        }

        // The block's limits are the ones compiled from here on: a range of the document's limits.
        int limitStart = limits.All.Count;
        if (node.Get("rate_limit") is { } rateLimit)
        {
            limits.Compile(rateLimit, toolKey, -1);
        }

        if (node.Get("limits") is { } limitsNode && KeyCheck.IsArray(limitsNode, d, "'limits'", MaxItems))
        {
            int index = 0;
            foreach (var item in limitsNode.Items)
            {
                limits.Compile(item, toolKey, index++);
            }
        }

        _rules.Clear();
        _paths.Clear();
        conditions.PathSink = _paths;
        Require(node.Get("require"));
        int requireEnd = _rules.Count;
        Entries(node.Get("deny_if"), "on_deny", deny: true);
        int denyIfEnd = _rules.Count;
        Entries(node.Get("approve_if"), "reason", deny: false);
        conditions.PathSink = null;
        var block = new RuleBlock
        {
            ToolKey = toolKey,
            RuleStore = _store.Keep(CollectionsMarshal.AsSpan(_rules), out int ruleStart),
            RuleStart = ruleStart,
            RuleCount = _rules.Count,
            RequireEnd = requireEnd,
            DenyIfEnd = denyIfEnd,
            LimitStart = limitStart,
            LimitCount = limits.All.Count - limitStart,
        };
        if (pin is not null || action != BlockAction.None)
        {
            block.Preamble = new EntryPreamble(block, pin, action, reason);
        }

        names.Bind(block, _paths, limits.Range(limitStart, block.LimitCount));
        return block;
    }

    private BlockAction Action(JNode node)
    {
        switch (node.Kind == JKind.String ? node.Text : null)
        {
            case "allow":
                return BlockAction.None;
            case "deny":
                return BlockAction.Deny;
            case "require_approval":
                return BlockAction.RequireApproval;
            default:
                d.Add(node, ValidationMessages.Action);
                return BlockAction.None;
        }
    }

    private void Require(JNode? found)
    {
        if (found is not { } node || !KeyCheck.IsArray(node, d, "'require'", MaxItems))
        {
            return;
        }

        int index = 0;
        foreach (var item in node.Items)
        {
            Condition? condition;
            string? onFail = null;
            string described;
            if (item.Kind == JKind.String)
            {
                var path = conditions.CompilePath(item);
                condition = path is null ? null : conditions.Cache.Exists(path, true);
                if (path is not null)
                {
                    _paths.Add(path);
                }

                if (!_mustBePresent.TryGetValue(item.Text!, out described!))
                {
                    _mustBePresent.Add(item.Text!, described = Sentences.MustBePresent(item.Text!));
                }
            }
            else
            {
                condition = conditions.Compile(item, onFail: true);
                onFail = item.Kind == JKind.Object ? KeyCheck.OptionalString(item, "on_fail", d) : null;
                described = Sentences.RequireFailed;
            }

            if (condition is not null)
            {
                _rules.Add(new RuleItem(condition, index, onFail ?? described));
            }

            index++;
        }
    }

    private void Entries(JNode? found, string messageKey, bool deny)
    {
        string what = deny ? "'deny_if'" : "'approve_if'";
        string entryWhat = deny ? "An entry of 'deny_if'" : "An entry of 'approve_if'";
        if (found is not { } node || !KeyCheck.IsArray(node, d, what, MaxItems))
        {
            return;
        }

        int index = -1;
        foreach (var entry in node.Items)
        {
            index++;
            if (!KeyCheck.IsObject(entry, d, entryWhat))
            {
                continue;
            }

            KeyCheck.OnlyKeys(entry, d, deny ? "an entry of 'deny_if'" : "an entry of 'approve_if'", deny ? DenyEntryKeys : ApproveEntryKeys);
            string? message = KeyCheck.OptionalString(entry, messageKey, d);
            var list = KeyCheck.Required(entry, "conditions", d, entryWhat);
            if ((list is { } l ? conditions.CompileAll(l, "'conditions'") : null) is not { } condition)
            {
                continue;
            }

            _rules.Add(new RuleItem(condition, index, message ?? (deny ? Sentences.DenyIfMatched : Sentences.ApprovalNeeded)));
        }
    }

    // The hex digits of a SHA-256 hash, which PinPattern's {64} spells out (a generated regex takes a constant pattern,
    // and a constant int cannot be made into one); ValidationMessagesTests holds the two together.
    private const int PinHexDigits = SHA256.HashSizeInBytes * 2;

    [GeneratedRegex(@"\A" + PinHasher.Prefix + "[0-9a-f]{64}" + @"\z", RegexOptions.CultureInvariant)] // \z: "$" would also match before a final newline
    private static partial Regex PinPattern();
}
