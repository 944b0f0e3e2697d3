using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace PolicyEngine.Cli.Commands;

/// <summary>Gets a tool list: from a saved <c>tools/list</c> result, or from a live MCP server over stdio or Streamable HTTP.</summary>
internal static class ToolSource
{
    public const int MaxFileBytes = 16 * 1024 * 1024;

    public const int MaxTools = 10_000;

    /// <summary>How long starting a server and listing its tools may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The tool definitions in listing order, each a JSON object as the server lists it.</summary>
    public static IReadOnlyList<JsonElement> Load(ToolListArguments source)
    {
        if (source.ToolsFile is { } file)
        {
            return FromFile(file);
        }

        var serverErrors = new BoundedLines(20);
        return source.ServerCommand is { } command
            ? FromServer(new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = "policyengine",
                Command = command[0],
                Arguments = command.Skip(1).ToArray(),
                StandardErrorLines = serverErrors.Add,
            }), string.Join(' ', command), serverErrors)
            : FromServer(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = source.Url!, TransportMode = HttpTransportMode.StreamableHttp }), source.Url!.ToString(), serverErrors);
    }

    /// <summary>Accepts a <c>tools/list</c> result <c>{"tools": […]}</c>, the whole JSON-RPC response, or a bare array.</summary>
    public static IReadOnlyList<JsonElement> FromFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = FileInput.ReadAllBytes(path, MaxFileBytes);
        }
        catch (FileInputException e)
        {
            throw new ToolSourceException(e.Message, e.TooLarge ? ExitCodes.Invalid : ExitCodes.Failure);
        }

        JsonElement root;
        try
        {
            root = JsonElement.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new ToolSourceException($"{path}: not JSON: {e.Message}", ExitCodes.Invalid);
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var result))
        {
            root = result;
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tools", out var tools))
        {
            root = tools;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new ToolSourceException($"{path}: expected a tools/list result {{\"tools\": [...]}} or an array of tool definitions", ExitCodes.Invalid);
        }

        return Checked(root.EnumerateArray().ToList(), path);
    }

    private static IReadOnlyList<JsonElement> FromServer(IClientTransport transport, string what, BoundedLines serverErrors)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return ListAsync(transport, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not ToolSourceException)
        {
            var reason = timeout.IsCancellationRequested ? $"no tool list within {Timeout.TotalSeconds:0} s" : Messages(e);
            var stderr = serverErrors.Text();
            throw new ToolSourceException($"cannot list the tools of {what}: {reason}{(stderr.Length > 0 ? "\nserver stderr:\n" + stderr : "")}", ExitCodes.Failure);
        }
    }

    // "Failed to connect transport." alone does not say why; the inner exceptions do.
    private static string Messages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? inner = e; inner is not null && messages.Count < 4; inner = inner.InnerException)
        {
            if (!messages.Contains(inner.Message, StringComparer.Ordinal))
            {
                messages.Add(inner.Message);
            }
        }

        return string.Join(": ", messages.Select((m, i) => i < messages.Count - 1 ? m.TrimEnd('.') : m));
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(IClientTransport transport, CancellationToken cancellationToken)
    {
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Checked(tools.Select(t => JsonSerializer.SerializeToElement(t.ProtocolTool, McpJsonUtilities.DefaultOptions)).ToList(), "the server");
    }

    private static List<JsonElement> Checked(List<JsonElement> tools, string where)
    {
        if (tools.Count > MaxTools)
        {
            throw new ToolSourceException($"{where}: more than {MaxTools} tools", ExitCodes.Invalid);
        }

        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i].ValueKind != JsonValueKind.Object || !tools[i].TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new ToolSourceException($"{where}: tool {i} is not an object with a string \"name\"", ExitCodes.Invalid);
            }
        }

        return tools;
    }
}
