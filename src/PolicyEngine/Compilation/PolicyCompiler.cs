using PolicyEngine.Document;
using PolicyEngine.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Compilation;

/// <summary>Validates a whole document (docs/policy-language.md#validation), reporting every error, and compiles it only if there are none.</summary>
internal static class PolicyCompiler
{
    public const int MaxToolEntries = 100_000;
    public const int MaxHidePatterns = 10_000;
    private static readonly TimeSpan DefaultApprovalTtl = TimeSpan.FromMinutes(15);

    /// <summary>Compiles a JSON or YAML document: <paramref name="yaml"/> says which, or null to tell by the content (<see cref="YamlReader.LooksLikeYaml"/>).</summary>
    public static bool TryCompile(ReadOnlySpan<byte> utf8, out CompiledPolicy compiled, out IReadOnlyList<PolicyError> errors, bool? yaml = null)
    {
        compiled = null!;
        if (utf8.Length > Policy.MaxDocumentBytes)
        {
            errors = [new PolicyError("", 1, 1, ValidationMessages.DocumentTooLarge(Policy.MaxDocumentBytes))];
            return false;
        }

        var source = utf8;
        if (utf8.StartsWith("\uFEFF"u8))
        {
            // Read as spaces: that keeps every offset, and so every line and column, as written. Only then is the text copied.
            var copy = utf8.ToArray();
            copy[0] = copy[1] = copy[2] = (byte)' ';
            source = copy;
        }

        var d = new Diagnostics();
        using var canonical = new CanonicalBuilder();
        // YAML reads the text as given (its parser skips a byte order mark, and spaces in its place would indent the first line).
        var read = yaml ?? YamlReader.LooksLikeYaml(source) ? YamlReader.Read(utf8, d, canonical) : SourceReader.Read(source, d, canonical);
        using var tree = read?.Tree; // nothing compiled keeps a node, so the tree's arrays go back when this returns
        if (read is not { } root || !KeyCheck.IsObject(root, d, "A policy document"))
        {
            errors = d.Resolve(source);
            return false;
        }

        // An Intercept document is translated into this engine's form, its values still placed in the Intercept source.
        using var translated = Intercept.InterceptShape.IsIntercept(root) ? Intercept.InterceptTranslator.Translate(root, d, source.Length) : null;
        if (d.HasErrors)
        {
            errors = d.Resolve(source);
            return false;
        }

        root = translated?.Root ?? root;

        var conditions = new ConditionCompiler(d);
        var limits = new LimitCompiler(d, conditions);
        var names = new ArgNames();
        var blocks = new BlockCompiler(d, conditions, limits, names);

        KeyCheck.OnlyKeys(root, d, "the document", "version", "default", "description", "mode", "hide", "all_tools", "tools", "approval_ttl");
        if (KeyCheck.Required(root, "version", d, "A policy document") is { } version && !(version.IsString && version.Text == "1"))
        {
            d.Add(version, ValidationMessages.Version);
        }

        bool defaultAllows = false;
        if (KeyCheck.Required(root, "default", d, "A policy document") is { } def)
        {
            defaultAllows = def.IsString && def.Text == "allow";
            if (!def.IsString || def.Text is not ("allow" or "deny"))
            {
                d.Add(def, ValidationMessages.Default);
            }
        }

        _ = KeyCheck.OptionalString(root, "description", d);
        bool shadow = false;
        if (root.Get("mode") is { } mode)
        {
            shadow = mode.IsString && mode.Text == "shadow";
            if (!mode.IsString || mode.Text is not ("enforce" or "shadow"))
            {
                d.Add(mode, ValidationMessages.Mode);
            }
        }

        var ttl = DefaultApprovalTtl;
        if (root.Get("approval_ttl") is { } ttlNode && !Duration.TryParse(ttlNode, out ttl, out var ttlError))
        {
            d.Add(ttlNode, ttlError);
        }

        var hide = new List<(string Pattern, string Pointer)>();
        if (root.Get("hide") is { } hideNode && KeyCheck.IsArray(hideNode, d, "'hide'", MaxHidePatterns))
        {
            foreach (var item in hideNode.Items)
            {
                if (Pattern(item, item.IsString ? item.Text : null, d)) // a number has text too, but is no pattern
                {
                    hide.Add((item.Text!, item.Pointer));
                }
            }
        }

        var allTools = root.Get("all_tools") is { } allNode ? blocks.Compile(allNode, toolKey: null) : null;

        var toolsFound = root.Get("tools");
        var tools = new List<(string Pattern, RuleBlock Block)>(toolsFound is { Kind: JKind.Object } t ? t.Members.Length : 0);
        if (toolsFound is { } toolsNode && KeyCheck.IsObject(toolsNode, d, "'tools'"))
        {
            if (toolsNode.Members.Length > MaxToolEntries)
            {
                d.Add(toolsNode, ValidationMessages.TooManyTools(MaxToolEntries));
            }

            foreach (var member in toolsNode.Members)
            {
                // Only $schema is ignored here: "x-…" is a valid tool name, and ignoring a rule for it would be a silent hole.
                if (member.Name == "$schema")
                {
                    continue;
                }

                bool patternOk = Pattern(member.Value, member.Name, d, member.NameOffset);
                if (blocks.Compile(member.Value, member.Name) is { } block && patternOk)
                {
                    tools.Add((member.Name, block));
                }
            }
        }

        if (d.HasErrors)
        {
            errors = d.Resolve(source);
            return false;
        }

        errors = [];
        compiled = new CompiledPolicy(canonical.Fingerprint(), defaultAllows, shadow, ttl, hide, allTools, tools, [.. limits.All], names.Slots);
        return true;
    }

    /// <summary>A tool pattern: 1–128 characters, each a tool-name character or '*'.</summary>
    private static bool Pattern(JNode node, string? text, Diagnostics d, int? offset = null)
    {
        if (text is not null && text.Length is >= 1 and <= 128 && ToolNames.IsValidPattern(text))
        {
            return true;
        }

        string message = text is null
            ? ValidationMessages.ToolPatternNotString(node)
            : ValidationMessages.InvalidToolPattern(text!, ToolNames.MaxLength);
        d.AddAt(node.Pointer, offset ?? node.Offset, message);
        return false;
    }
}
