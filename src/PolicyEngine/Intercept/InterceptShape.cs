using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>Tells an Intercept document (PolicyLayer's open-source proxy) from this engine's own by its shape.</summary>
internal static class InterceptShape
{
    // This engine's keys that Intercept has no use for: with a 'rules' array beside them, the document mixes both forms.
    private static readonly string[] OwnRootKeys = ["all_tools", "mode", "approval_ttl"];
    private static readonly string[] OwnBlockKeys = ["action", "reason", "require", "deny_if", "approve_if", "rate_limit", "limits", "pin"];

    /// <summary>Whether some <c>tools</c> entry has a <c>rules</c> key: Intercept's form, which this engine's never has.</summary>
    public static bool IsIntercept(JNode root)
    {
        if (root.Kind != JKind.Object || root.Get("tools") is not { Kind: JKind.Object } tools)
        {
            return false;
        }

        foreach (var tool in tools.Members)
        {
            if (tool.Value.Kind == JKind.Object && tool.Value.Get("rules") is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reports each key of this engine's own form in an Intercept document; false if there was one.</summary>
    public static bool NotMixed(JNode root, Diagnostics d)
    {
        bool ok = true;
        foreach (var m in root.Members)
        {
            ok &= !Mixed(m, OwnRootKeys, d);
        }

        foreach (var tool in root.Get("tools")!.Value.Members)
        {
            if (tool.Value.Kind == JKind.Object)
            {
                foreach (var m in tool.Value.Members)
                {
                    ok &= !Mixed(m, OwnBlockKeys, d);
                }
            }
        }

        return ok;
    }

    /// <summary>Reports keys outside <paramref name="allowed"/>: Intercept ignores an unknown key, this engine refuses it (a typo must not pass silently).</summary>
    public static bool OnlyKeys(JNode obj, Diagnostics d, string what, params string[] allowed)
    {
        bool ok = true;
        foreach (var m in obj.Members)
        {
            if (Array.IndexOf(allowed, m.Name) < 0)
            {
                d.AddAt(m.Value.Pointer, m.NameOffset, ValidationMessages.InterceptUnknownKey(m.Name, what, allowed));
                ok = false;
            }
        }

        return ok;
    }

    private static bool Mixed(JMember m, string[] own, Diagnostics d)
    {
        if (Array.IndexOf(own, m.Name) < 0)
        {
            return false;
        }

        d.AddAt(m.Value.Pointer, m.NameOffset, ValidationMessages.InterceptMixedForms(m.Name));
        return true;
    }
}
