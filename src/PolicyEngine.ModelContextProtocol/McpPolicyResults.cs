using System.Text.Encodings.Web;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>
/// The tool result that stands for a call the policy did not allow. A denial is a tool result, never a transport
/// error, because clients drop the whole session on a transport error.
/// </summary>
public static class McpPolicyResults
{
    /// <summary>The start of the text of every policy result.</summary>
    public const string DeniedPrefix = "[POLICY DENIED] ";

    /// <summary>
    /// A <see cref="CallToolResult"/> with <c>IsError = true</c>, the text <c>[POLICY DENIED] &lt;message&gt;</c>, and
    /// <c>StructuredContent</c> <c>{"effect", "code", "rule", "message", "retry_after", "approval_id"}</c>
    /// (<c>retry_after</c> in seconds, or <see langword="null"/>).
    /// </summary>
    /// <param name="decision">A decision that is not an allow.</param>
    /// <param name="message">A message to show instead of the decision's own.</param>
    /// <returns>The result.</returns>
    public static CallToolResult ToCallToolResult(in Decision decision, string? message = null) =>
        Create(EffectName(decision.Effect), decision.Code, decision.Rule, message ?? decision.Message ?? decision.Code,
            decision.RetryAfter is { } retryAfter ? retryAfter.Ticks / (decimal)TimeSpan.TicksPerSecond : null, decision.ApprovalId);

    /// <summary>
    /// The same result for a refusal the adapter makes itself, before the policy (a schema failure, an ambiguous
    /// listing); <paramref name="instanceLocation"/>, when given, is written as <c>instance_location</c>.
    /// </summary>
    internal static CallToolResult Create(string effect, string code, string? rule, string message, decimal? retryAfterSeconds = null,
        string? approvalId = null, string? instanceLocation = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("effect", effect);
            json.WriteString("code", code);
            json.WriteString("rule", rule);
            json.WriteString("message", message);
            if (retryAfterSeconds is { } retryAfter)
            {
                json.WriteNumber("retry_after", retryAfter);
            }
            else
            {
                json.WriteNull("retry_after");
            }

            json.WriteString("approval_id", approvalId);
            if (instanceLocation is not null)
            {
                json.WriteString("instance_location", instanceLocation);
            }

            json.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = DeniedPrefix + message }],
            StructuredContent = document.RootElement.Clone(),
        };
    }

    /// <summary>Whether a result is a policy denial made by <see cref="ToCallToolResult"/> (on either side of the wire).</summary>
    /// <param name="result">A tool result.</param>
    /// <returns><see langword="true"/> for a policy result.</returns>
    public static bool IsPolicyResult(CallToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsError == true &&
            result.Content is [TextContentBlock { Text: { } text }, ..] &&
            text.StartsWith(DeniedPrefix, StringComparison.Ordinal);
    }

    internal static string EffectName(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.RequireApproval => "require_approval",
        _ => "deny",
    };
}
