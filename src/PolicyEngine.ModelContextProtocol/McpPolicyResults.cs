using System.Globalization;
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
    /// <summary>The start of the text of a denial, except a rate limit's and a <see cref="DecisionCodes.StateUnavailable"/>.</summary>
    public const string DeniedPrefix = "[POLICY DENIED] ";

    /// <summary>The start of the text of an <see cref="DecisionCodes.ApprovalRequired"/> result: a person may still allow the call.</summary>
    public const string ApprovalRequiredPrefix = "[APPROVAL REQUIRED] ";

    /// <summary>The start of the text of a <see cref="DecisionCodes.RateLimited"/> result, followed by when to retry.</summary>
    public const string RateLimitedPrefix = "[RATE LIMITED] ";

    /// <summary>
    /// The start of the text of a <see cref="DecisionCodes.StateUnavailable"/> result, followed by when to retry: the shared
    /// state that limits and approvals need did not answer, so the call was refused without judging it.
    /// </summary>
    public const string StateUnavailablePrefix = "[POLICY UNAVAILABLE] ";

    /// <summary>
    /// A <see cref="CallToolResult"/> with <c>IsError = true</c>, a text the model can act on, and <c>StructuredContent</c>
    /// <c>{"effect", "code", "rule", "message", "retry_after", "approval_id"}</c> (<c>retry_after</c> in seconds, or
    /// <see langword="null"/>). The text is <c>[APPROVAL REQUIRED] &lt;message&gt;</c> for <c>approval_required</c>,
    /// <c>[RATE LIMITED] Retry in 43 s. &lt;message&gt;</c> for <c>rate_limited</c> (or <c>Retrying will not help.</c>
    /// when the call can never fit), <c>[POLICY UNAVAILABLE] Retry in 1 s. &lt;message&gt;</c> for <c>state_unavailable</c>,
    /// and <c>[POLICY DENIED] &lt;message&gt;</c> otherwise.
    /// </summary>
    /// <param name="decision">A decision that is not an allow.</param>
    /// <param name="message">A message to show instead of the decision's own.</param>
    /// <returns>The result.</returns>
    public static CallToolResult ToCallToolResult(in Decision decision, string? message = null) =>
        Create(Telemetry.DecisionText.Effect(decision.Effect), decision.Code, decision.Rule, message ?? decision.Message ?? decision.Code,
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
            Content = [new TextContentBlock { Text = Text(code, retryAfterSeconds, message) }],
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
            (text.StartsWith(DeniedPrefix, StringComparison.Ordinal) ||
             text.StartsWith(ApprovalRequiredPrefix, StringComparison.Ordinal) ||
             text.StartsWith(RateLimitedPrefix, StringComparison.Ordinal) ||
             text.StartsWith(StateUnavailablePrefix, StringComparison.Ordinal));
    }

    private static string Text(string code, decimal? retryAfterSeconds, string message) => code switch
    {
        DecisionCodes.ApprovalRequired => ApprovalRequiredPrefix + message,
        DecisionCodes.RateLimited => $"{RateLimitedPrefix}{RetryHint(RetryAfter(retryAfterSeconds))} {message}",
        // Always worth retrying: the store, not the call, was the problem.
        DecisionCodes.StateUnavailable => $"{StateUnavailablePrefix}{RetryHint(RetryAfter(retryAfterSeconds) ?? TimeSpan.Zero)} {message}",
        _ => DeniedPrefix + message,
    };

    private static TimeSpan? RetryAfter(decimal? seconds) => seconds is { } s ? TimeSpan.FromTicks((long)(s * TimeSpan.TicksPerSecond)) : null;

    // Rounded up, so that a client retrying at the time said finds room; coarser units for long windows.
    private static string RetryHint(TimeSpan? retryAfter) => retryAfter switch
    {
        null => "Retrying will not help.",
        { TotalSeconds: <= 120 } t => string.Create(CultureInfo.InvariantCulture, $"Retry in {Math.Max(1, Math.Ceiling(t.TotalSeconds))} s."),
        { TotalMinutes: <= 120 } t => string.Create(CultureInfo.InvariantCulture, $"Retry in {Math.Ceiling(t.TotalMinutes)} min."),
        { } t => string.Create(CultureInfo.InvariantCulture, $"Retry in {Math.Ceiling(t.TotalHours)} h."),
    };
}
