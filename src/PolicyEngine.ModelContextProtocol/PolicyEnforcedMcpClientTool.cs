using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>
/// An <see cref="McpClientTool"/> (an <see cref="AIFunction"/> a chat client can call) whose every invocation is decided
/// by the host's policy first. A call that is not allowed is not sent; the function returns the policy result instead.
/// </summary>
public sealed class PolicyEnforcedMcpClientTool : DelegatingAIFunction
{
    private readonly PolicyEnforcingMcpClient _client;

    internal PolicyEnforcedMcpClientTool(McpClientTool tool, PolicyEnforcingMcpClient client)
        : base(tool)
    {
        Tool = tool;
        _client = client;
    }

    /// <summary>The wrapped tool.</summary>
    public McpClientTool Tool { get; }

    /// <summary>Invokes the tool through the policy; returns the <see cref="CallToolResult"/> as JSON, as <see cref="McpClientTool"/> does.</summary>
    /// <param name="arguments">The arguments from the model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result serialized to a <see cref="JsonElement"/>.</returns>
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var result = await _client.CallToolAsync(Tool.ProtocolTool.Name, arguments, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult)));
    }
}
