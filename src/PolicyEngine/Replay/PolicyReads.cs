using System.Text.Json;

namespace PolicyEngine.Replay;

/// <summary>What a policy document reads of a call: the first place it reads arguments, context, and a pin.</summary>
internal sealed record PolicyReads(string? Arguments, string? Context, string? Pin)
{
    /// <summary>Finds, in document order, the first path into <c>args</c>, into <c>context</c>, and the first <c>pin</c>.</summary>
    public static PolicyReads Of(ReadOnlySpan<byte> policy)
    {
        using var document = JsonDocument.Parse(policy.ToArray());
        string? arguments = null, context = null, pin = null;
        Walk(document.RootElement, "", inRequire: false, ref arguments, ref context, ref pin);
        return new PolicyReads(arguments, context, pin);
    }

    private static void Walk(JsonElement node, string pointer, bool inRequire, ref string? arguments, ref string? context, ref string? pin)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in node.EnumerateObject())
                {
                    var at = pointer + "/" + member.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    if (member.Name is "path" or "per" or "cost" && member.Value.ValueKind == JsonValueKind.String)
                    {
                        Path(member.Value.GetString()!, at, ref arguments, ref context);
                    }
                    else if (member.Name == "pin" && member.Value.ValueKind == JsonValueKind.String)
                    {
                        pin ??= at;
                    }
                    else
                    {
                        Walk(member.Value, at, member.Name == "require", ref arguments, ref context, ref pin);
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in node.EnumerateArray())
                {
                    var at = pointer + "/" + i++;
                    if (inRequire && item.ValueKind == JsonValueKind.String)
                    {
                        Path(item.GetString()!, at, ref arguments, ref context);
                    }
                    else
                    {
                        Walk(item, at, inRequire: false, ref arguments, ref context, ref pin);
                    }
                }

                break;
        }
    }

    private static void Path(string path, string at, ref string? arguments, ref string? context)
    {
        if (path.StartsWith("args", StringComparison.Ordinal))
        {
            arguments ??= at;
        }
        else if (path.StartsWith("context.", StringComparison.Ordinal))
        {
            context ??= at;
        }
    }
}
