using System.Text.Json;

namespace PolicyEngine.Risk;

/// <summary>The parts of a tool definition the classifier reads.</summary>
internal sealed record ToolFacts(
    string Name,
    string? Title,
    string? Description,
    JsonElement InputSchema,
    bool? ReadOnlyHint,
    bool? DestructiveHint,
    bool? IdempotentHint,
    bool? OpenWorldHint)
{
    /// <summary>Reads a <c>tools/list</c> entry; a title may also come from <c>annotations.title</c>.</summary>
    public static ToolFacts From(JsonElement definition)
    {
        if (definition.ValueKind != JsonValueKind.Object || !definition.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException("A tool definition must be a JSON object with a string \"name\".", nameof(definition));
        }

        var annotations = definition.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        return new ToolFacts(
            name.GetString()!,
            StringOf(definition, "title") ?? StringOf(annotations, "title"),
            StringOf(definition, "description"),
            definition.TryGetProperty("inputSchema", out var schema) ? schema : default,
            BoolOf(annotations, "readOnlyHint"),
            BoolOf(annotations, "destructiveHint"),
            BoolOf(annotations, "idempotentHint"),
            BoolOf(annotations, "openWorldHint"));
    }

    private static string? StringOf(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? BoolOf(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
