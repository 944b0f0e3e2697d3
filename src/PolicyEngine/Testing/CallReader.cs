using System.Text.Json;
using PolicyEngine.Document;

namespace PolicyEngine.Testing;

/// <summary>
/// Reads the call fields of a test step — <c>tool</c>, <c>arguments</c>, <c>session</c>, <c>context</c>,
/// <c>definition</c> and, in a call, <c>at</c> — into a <see cref="ToolCall"/>, with eval's rules (docs/policy-language.md#command-line):
/// wrong types and unknown fields are errors; what the engine judges itself (the tool name's characters,
/// arguments that are not an object, duplicate keys in them) is left to the engine.
/// </summary>
internal static class CallReader
{
    /// <summary>Reads a call; returns the error, or <see langword="null"/> with <paramref name="call"/> set.</summary>
    public static string? Read(JsonElement fields, bool allowAt, out ToolCall call, out decimal? at) =>
        Read(fields, allowAt, readAt: true, out call, out at);

    /// <summary>
    /// Reads a call whose <c>at</c>, if any, the caller reads and checks itself (the command line's calls file, with its own
    /// clock); returns the error, or <see langword="null"/> with <paramref name="call"/> set.
    /// </summary>
    public static string? ReadLeavingAt(JsonElement fields, out ToolCall call) =>
        Read(fields, allowAt: true, readAt: false, out call, out _);

    private static string? Read(JsonElement fields, bool allowAt, bool readAt, out ToolCall call, out decimal? at)
    {
        call = default;
        at = null;
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return ValidationMessages.CallNotObject;
        }

        JsonElement? arguments = null;
        JsonElement definition = default;
        string? tool = null;
        string? session = null;
        Dictionary<string, JsonElement>? context = null;
        foreach (var field in fields.EnumerateObject())
        {
            var value = field.Value;
            switch (field.Name)
            {
                case "tool" when value.ValueKind == JsonValueKind.String:
                    tool = value.GetString();
                    break;
                case "session" when value.ValueKind == JsonValueKind.String:
                    session = value.GetString();
                    break;
                case "context" when value.ValueKind == JsonValueKind.Object:
                    context = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    foreach (var entry in value.EnumerateObject())
                    {
                        context[entry.Name] = entry.Value;
                    }

                    break;
                case "tool" or "session":
                    return ValidationMessages.FieldNotString(field.Name);
                case "context":
                    return ValidationMessages.ContextNotObject;
                case "arguments":
                    arguments = value;
                    break;
                case "definition":
                    definition = value;
                    break;
                case "at" when allowAt && !readAt:
                    break;
                case "at" when allowAt && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var seconds) &&
                    seconds >= 0 && seconds <= TestClock.MaxSeconds:
                    at = seconds;
                    break;
                case "at" when allowAt:
                    return ValidationMessages.AtRange(TestClock.MaxSeconds);
                default:
                    // Fail closed on a misspelt field: "argument" silently ignored would evaluate a different call.
                    return ValidationMessages.UnknownCallField(field.Name);
            }
        }

        if (tool is null)
        {
            return ValidationMessages.CallNeedsTool;
        }

        call = (arguments is { } args ? new ToolCall(tool, args) : new ToolCall(tool)) with
        {
            SessionId = session,
            Context = context,
            Definition = definition,
        };
        return null;
    }

    /// <summary>The error for a step that has keys besides <paramref name="key"/> and <c>at</c>.</summary>
    public static string? OnlyKey(JsonElement step, string key)
    {
        // A loop, not FirstOrDefault: the name of a default JsonProperty (no other key) throws.
        foreach (var field in step.EnumerateObject())
        {
            if (field.Name != key && field.Name != "at")
            {
                return ValidationMessages.UnknownStepKey(field.Name, key);
            }
        }

        return null;
    }

    /// <summary>
    /// The first duplicate key of a raw line, outside a call's <c>arguments</c> and a <c>reload</c>'s document,
    /// whose duplicates the engine and the validator report themselves.
    /// </summary>
    public static string? FindDuplicate(JsonElement root) => FindDuplicate(root, topLevel: true);

    private static string? FindDuplicate(JsonElement value, bool topLevel)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        return ValidationMessages.DuplicateKey(property.Name);
                    }

                    var skip = topLevel && property.Name is "arguments" or "reload";
                    if (!skip && FindDuplicate(property.Value, topLevel: false) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                return value.EnumerateArray().Select(item => FindDuplicate(item, topLevel: false)).FirstOrDefault(d => d is not null);
            default:
                return null;
        }
    }
}
