using PolicyEngine.Document;

namespace PolicyEngine.Compilation;

/// <summary>Shared checks of document objects: allowed keys, required keys, value kinds.</summary>
internal static class KeyCheck
{
    /// <summary><c>$schema</c> and <c>x-…</c> keys are allowed and ignored in every object (docs/policy-language.md#the-document).</summary>
    public static bool IsIgnored(string key) => key == "$schema" || key.StartsWith("x-", StringComparison.Ordinal);

    /// <summary>Reports every key that is neither allowed nor ignored: a typo in a security policy must never pass silently.</summary>
    public static void OnlyKeys(JNode obj, Diagnostics d, string what, params string[] allowed)
    {
        foreach (var m in obj.Members)
        {
            if (!IsIgnored(m.Name) && Array.IndexOf(allowed, m.Name) < 0)
            {
                d.AddAt(m.Value.Pointer, m.NameOffset, ValidationMessages.UnknownKey(m.Name, what, allowed));
            }
        }
    }

    public static JNode? Required(JNode obj, string key, Diagnostics d, string what)
    {
        var node = obj.Get(key);
        if (node is null)
        {
            d.AddAt(JsonPointer.Append(obj.Pointer, key), obj.Offset, ValidationMessages.NeedsKey(what, key));
        }

        return node;
    }

    public static bool IsObject(JNode node, Diagnostics d, string what)
    {
        if (node.Kind == JKind.Object)
        {
            return true;
        }

        d.Add(node, ValidationMessages.MustBeObject(what, node));
        return false;
    }

    public static bool IsArray(JNode node, Diagnostics d, string what, int maxItems)
    {
        if (node.Kind != JKind.Array)
        {
            d.Add(node, ValidationMessages.MustBeArray(what, node));
            return false;
        }

        if (node.Items.Length > maxItems)
        {
            d.Add(node, ValidationMessages.TooManyItems(what, maxItems));
            return false;
        }

        return true;
    }

    public static string? OptionalString(JNode obj, string key, Diagnostics d)
    {
        if (obj.Get(key) is not { } node)
        {
            return null;
        }

        if (node.Kind != JKind.String)
        {
            d.Add(node, ValidationMessages.MustBeString(key, node));
            return null;
        }

        return node.Text;
    }
}
