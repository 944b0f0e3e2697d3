using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>Asks the client's user, through MCP elicitation, whether a call that needs approval may run.</summary>
internal static class ElicitApproval
{
    public const string ApproveField = "approve";

    public static async ValueTask<bool> AskAsync(McpServer server, CallToolRequestParams call, Decision decision, CancellationToken cancellationToken)
    {
        // The person must see what they approve: the tool and its arguments as the client sent them.
        var arguments = call.Arguments is null
            ? "{}"
            : JsonSerializer.Serialize(call.Arguments, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, JsonElement>)));
        var request = new ElicitRequestParams
        {
            Message = $"Approve the call to '{call.Name}' with {arguments}? {decision.Message} (approval id {decision.ApprovalId})",
            RequestedSchema = new ElicitRequestParams.RequestSchema
            {
                Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>(StringComparer.Ordinal)
                {
                    [ApproveField] = new ElicitRequestParams.BooleanSchema { Description = "Let this call run once." },
                },
                Required = [ApproveField],
            },
        };

        try
        {
            var answer = await server.ElicitAsync(request, cancellationToken).ConfigureAwait(false);
            return answer.IsAccepted &&
                answer.Content is { } content &&
                content.TryGetValue(ApproveField, out var approve) &&
                approve.ValueKind == JsonValueKind.True;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A client that fails to answer has not approved; the call stays gated (fail closed).
            return false;
        }
    }
}
