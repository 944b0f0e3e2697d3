using System.IO.Pipes;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

namespace PolicyEngine.Fuzz;

/// <summary>
/// Target 3: one <c>tools/call</c> params object (<c>{"name": …, "arguments": {…}}</c>) sent through a real MCP server
/// under <c>WithPolicyEngine()</c>, in this process over pipes, to tools with enum, nested-object, array and number
/// parameters. When the call runs, the values the tool was bound with must be the values the policy read at every
/// path (<see cref="BindingAgreement"/>); a disagreement throws, and AFL records a crash.
/// </summary>
internal static class McpTarget
{
    private static readonly Lazy<Server> Shared = new(Server.Start);

    public static void Run(Stream input)
    {
        JsonDocument request;
        try
        {
            request = JsonDocument.Parse(ReadAll(input));
        }
        catch (JsonException)
        {
            return; // not JSON: the SDK answers a parse error before any filter runs
        }

        using (request)
        {
            if (!TryRead(request.RootElement, out var name, out var arguments))
            {
                return;
            }

            var server = Shared.Value;
            server.Probe.Received.Clear();
            CallToolResult result;
            try
            {
                result = server.Client.CallToolAsync(new CallToolRequestParams { Name = name, Arguments = arguments }).AsTask().GetAwaiter().GetResult();
            }
            catch (McpException)
            {
                return; // an unknown tool, or a call the SDK refuses as a protocol error: nothing ran
            }

            if (result.IsError == true || !server.Probe.Received.TryDequeue(out var received))
            {
                return;
            }

            using var sent = JsonDocument.Parse(JsonSerializer.Serialize(arguments));
            foreach (var (path, value) in received.Values)
            {
                if (!BindingAgreement.Agree(sent.RootElement, path, value))
                {
                    throw new InvalidOperationException($"{name}: the tool was bound with {value ?? "null"} at {path}, which the policy read otherwise.");
                }
            }
        }
    }

    // Top-level names as the SDK keeps them: a dictionary, the last of a repeated name winning.
    private static bool TryRead(JsonElement root, out string name, out Dictionary<string, JsonElement>? arguments)
    {
        name = "";
        arguments = null;
        try
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            name = n.GetString()!;
            if (root.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object)
            {
                arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in a.EnumerateObject())
                {
                    arguments[property.Name] = property.Value.Clone();
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // a lone surrogate in a name: the harness's reading, not the filter's, fails on it
        }
    }

    private static byte[] ReadAll(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>One server and client for the whole run: starting a host per input would be all the fuzzer measured.</summary>
    private sealed class Server
    {
        public required ProbeTools Probe { get; init; }

        public required McpClient Client { get; init; }

        public static Server Start()
        {
            var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
            var serverIn = new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle);
            var toClient = new AnonymousPipeServerStream(PipeDirection.Out);
            var clientIn = new AnonymousPipeClientStream(PipeDirection.In, toClient.ClientSafePipeHandle);
            var probe = new ProbeTools();
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddPolicyEngine(e => e.FromJson(BindingAgreement.Policy));
            builder.Services.AddMcpServer().WithStreamServerTransport(serverIn, toClient).WithTools(probe.Create()).WithPolicyEngine();
            var host = builder.Build();
            host.StartAsync().GetAwaiter().GetResult();
            var client = McpClient.CreateAsync(new StreamClientTransport(toServer, clientIn)).GetAwaiter().GetResult();
            return new Server { Probe = probe, Client = client };
        }
    }
}
