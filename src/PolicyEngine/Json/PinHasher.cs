using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Json;

/// <summary>Tool definition pins: SHA-256 of the canonical <c>{name, description, inputSchema}</c> (docs/policy-language.md#tool-definition-pins).</summary>
internal static class PinHasher
{
    public const string Prefix = "sha256:";

    public static bool TryCompute(JsonElement definition, out string pin)
    {
        pin = "";
        if (definition.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var members = new List<(string, JsonElement)>(3);
        foreach (var p in definition.EnumerateObject())
        {
            string name = JsonText.GetName(p);
            if (name is "name" or "description" or "inputSchema")
            {
                members.Add((name, p.Value));
            }
        }

        var sb = new StringBuilder();
        CanonicalJson.WriteObject(sb, members);
        pin = Hash(sb.ToString());
        return true;
    }

    public static string Compute(string name, string? description, JsonElement inputSchema)
    {
        var sb = new StringBuilder("{");
        if (description is not null)
        {
            sb.Append("\"description\":");
            CanonicalJson.WriteString(sb, description);
            sb.Append(',');
        }

        sb.Append("\"inputSchema\":");
        CanonicalJson.Write(sb, inputSchema);
        sb.Append(",\"name\":");
        CanonicalJson.WriteString(sb, name);
        sb.Append('}');
        return Hash(sb.ToString());
    }

    public static string Hash(string canonical) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}
