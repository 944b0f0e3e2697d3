using System.Text;
using System.Text.Json;
using Json.Schema;

namespace PolicyEngine.Tests.Schema;

/// <summary>schema/policy.schema.json, built once with JsonSchema.Net, and what the engine says of the same documents.</summary>
internal static class PolicySchema
{
    public static string SchemaPath => Path.Combine(AppContext.BaseDirectory, "Schema", "policy.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(SchemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions List = new() { OutputFormat = OutputFormat.List };

    public static JsonDocument Document() => JsonDocument.Parse(File.ReadAllText(SchemaPath));

    /// <summary>Whether the schema accepts <paramref name="policy"/>, and the first error's location and message when not.</summary>
    public static (bool Valid, string Why) Validate(JsonElement policy)
    {
        if (Schema.Value.Evaluate(policy, Flag).IsValid)
        {
            return (true, "");
        }

        // Evaluated again only to say why: the list output is several times slower than the flag.
        var results = Schema.Value.Evaluate(policy, List);

        var why = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")
            .FirstOrDefault() ?? "invalid";
        return (false, why);
    }

    public static (bool Valid, string Why) Validate(string policy)
    {
        using var document = JsonDocument.Parse(policy);
        return Validate(document.RootElement.Clone());
    }

    /// <summary>Whether the engine accepts the document, and its first error when not.</summary>
    public static (bool Valid, string Why) Engine(string policy) =>
        Policy.TryParse(Encoding.UTF8.GetBytes(policy), out _, out var errors) ? (true, "") : (false, errors[0].ToString());
}
