using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>Asks the client's user, through MCP elicitation, whether a call that needs approval may run.</summary>
internal static class ElicitApproval
{
    public const string ApproveField = "approve";

    public static async ValueTask<bool> AskAsync(McpServer server, string tool, Decision decision, CancellationToken cancellationToken)
    {
        var request = new ElicitRequestParams
        {
            Message = $"Approve the call to '{tool}'? {decision.Message} (approval id {decision.ApprovalId})",
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
                approve.ValueKind == System.Text.Json.JsonValueKind.True;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A client that fails to answer has not approved; the call stays gated (fail closed).
            return false;
        }
    }
}
