using System.Text.Json;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>How a <see cref="PolicyEnforcingMcpClient"/> describes its calls to the policy.</summary>
public sealed class McpClientPolicyOptions
{
    /// <summary>The session id of the calls. Default: the client's MCP session id, else a random id per wrapper.</summary>
    public string? SessionId { get; set; }

    /// <summary>The context of every call (the user, a tenant…); read by <c>context.NAME</c> paths.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Context { get; set; }

    /// <summary>Records metrics and the decision log; default metrics only.</summary>
    public PolicyTelemetry? Telemetry { get; set; }

    /// <summary>How argument values are turned into JSON. Default: the MCP SDK's <c>McpJsonUtilities.DefaultOptions</c>.</summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }
}
