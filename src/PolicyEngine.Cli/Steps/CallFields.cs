using System.Text.Json;

namespace PolicyEngine.Cli.Steps;

/// <summary>
/// Reads the call fields of a call or approve step — <c>tool</c>, <c>arguments</c>, <c>session</c>,
/// <c>context</c>, <c>definition</c> — into a <see cref="ToolCall"/>. Wrong types are errors (docs/policy-language.md#command-line); what the
/// engine itself judges (the tool name's characters, arguments that are not an object) is left to the engine.
/// </summary>
internal static class CallFields
{
    /// <summary>Reads a call; returns the error, or <see langword="null"/> with <paramref name="call"/> set.</summary>
    public static string? Read(JsonElement fields, bool allowAt, out ToolCall call)
    {
        call = default;
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
                case "tool":
                    return "'tool' must be a string.";
                case "session" when value.ValueKind == JsonValueKind.String:
                    session = value.GetString();
                    break;
                case "session":
                    return "'session' must be a string.";
                case "context" when value.ValueKind == JsonValueKind.Object:
                    context = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    foreach (var entry in value.EnumerateObject())
                    {
                        context[entry.Name] = entry.Value;
                    }

                    break;
                case "context":
                    return "'context' must be an object.";
                case "arguments":
                    arguments = value;
                    break;
                case "definition":
                    definition = value;
                    break;
                case "at" when allowAt:
                    break;
                default:
                    // Fail closed on a misspelt field: "argument" silently ignored would evaluate a different call.
                    return $"Unknown call field '{field.Name}'.";
            }
        }

        if (tool is null)
        {
            return "A call needs a 'tool' string.";
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
        foreach (var field in step.EnumerateObject())
        {
            if (field.Name != key && field.Name != "at")
            {
                return $"Unknown key '{field.Name}' in a {key} step.";
            }
        }

        return null;
    }
}
