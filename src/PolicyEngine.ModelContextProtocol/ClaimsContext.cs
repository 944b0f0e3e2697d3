using System.Security.Claims;
using System.Text.Json;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>Turns the authenticated user's claims into a call's context through a name → claim-type mapping.</summary>
internal static class ClaimsContext
{
    public static IReadOnlyDictionary<string, JsonElement>? FromClaims(ClaimsPrincipal? user, IReadOnlyDictionary<string, string> mapping)
    {
        if (user is null || mapping.Count == 0)
        {
            return null;
        }

        Dictionary<string, JsonElement>? context = null;
        foreach (var (name, claimType) in mapping)
        {
            var values = user.FindAll(claimType).Select(c => c.Value).ToArray();
            if (values.Length == 0)
            {
                continue;
            }

            context ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            context[name] = values.Length == 1
                ? JsonSerializer.SerializeToElement(values[0], ContextJson.Default.String)
                : JsonSerializer.SerializeToElement(values, ContextJson.Default.StringArray);
        }

        return context;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ContextJson : System.Text.Json.Serialization.JsonSerializerContext;
