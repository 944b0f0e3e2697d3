using System.Text.Json;

namespace PolicyEngine.Linting;

/// <summary>A tool of a server's listing (<c>--tools</c>): its name, its pin, and its input schema.</summary>
internal sealed record ListedTool(string Name, string Pin, JsonElement InputSchema)
{
    /// <summary>
    /// Reads a listing as MCP's <c>tools/list</c> returns it, <c>{"tools": [...]}</c>, or a bare array of tool
    /// definitions. The elements stay readable after the document is disposed (they are cloned).
    /// </summary>
    /// <exception cref="InvalidDataException">The text is not such a listing; the message says where.</exception>
    public static IReadOnlyList<ListedTool> Read(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            var list = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tools", out var tools) ? tools : root;
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("a tool listing is {\"tools\": [...]} or an array of tool definitions");
            }

            var result = new List<ListedTool>();
            foreach (var tool in list.EnumerateArray())
            {
                if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"tool {result.Count}: a tool definition is an object with a string 'name'");
                }

                var schema = tool.TryGetProperty("inputSchema", out var s) ? s.Clone() : default;
                result.Add(new ListedTool(name.GetString()!, ToolPin.Compute(tool), schema));
            }

            return result;
        }
    }
}
