using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>
/// How <c>WithPolicyEngine</c> enforces a policy on an MCP server. Checked when <c>WithPolicyEngine</c> returns;
/// a bad value throws <see cref="ArgumentException"/>.
/// </summary>
public sealed class McpPolicyOptions
{
    // Set on the validated copy, so that later edits of ContextClaims cannot reach a running filter.
    private Dictionary<string, string>? _frozenClaims;

    /// <summary>The name of the engine registered with <c>AddPolicyEngine(name, …)</c>; <see langword="null"/> for the default engine.</summary>
    public string? PolicyName { get; set; }

    /// <summary>
    /// Which claims of the authenticated user become the call's context, as context name → claim type. A claim that
    /// occurs once becomes a string; one that occurs several times, an array of strings. Default:
    /// <c>user</c> ← <see cref="ClaimTypes.NameIdentifier"/>, <c>roles</c> ← <see cref="ClaimTypes.Role"/>.
    /// Ignored when <see cref="ContextFactory"/> is set.
    /// </summary>
    public IDictionary<string, string> ContextClaims { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["user"] = ClaimTypes.NameIdentifier,
        ["roles"] = ClaimTypes.Role,
    };

    /// <summary>Builds the call's context from the user (which is <see langword="null"/> without authentication, e.g. under stdio).</summary>
    public Func<ClaimsPrincipal?, IReadOnlyDictionary<string, JsonElement>?>? ContextFactory { get; set; }

    /// <summary>Whether tools the policy hides are removed from <c>tools/list</c>. Default <see langword="true"/>.</summary>
    public bool FilterToolList { get; set; } = true;

    /// <summary>
    /// Whether a call that needs approval asks the user through MCP elicitation (when the client supports it) and
    /// continues on consent. Opt-in; default <see langword="false"/>. Without it, approvals go through the
    /// evaluator's <see cref="PolicyEvaluator.Approve(string)"/> (<see cref="PolicyEvaluator.ApproveAsync"/> over a shared store).
    /// </summary>
    public bool ApproveThroughElicitation { get; set; }

    /// <summary>
    /// The session id used when the transport has none and the user is anonymous (stdio: one session per process).
    /// Default: a random id per server process. A stateless HTTP server has no session id: an authenticated user's
    /// calls then share the session <c>user:&lt;name identifier&gt;</c>, and anonymous calls share this one.
    /// </summary>
    public string ProcessSessionId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Chooses the session of a call, overriding the rule above: for example a tenant id under stateless HTTP.
    /// Returning <see langword="null"/> falls back to the rule.
    /// </summary>
    public Func<RequestContext<CallToolRequestParams>, string?>? SessionSelector { get; set; }

    /// <summary>
    /// Whether a call's arguments are checked against the matched tool's <c>inputSchema</c> before the policy decides
    /// (JSON Schema 2020-12: types, exact <c>enum</c> values, <c>required</c>; and names that match a declared property
    /// only when case is ignored, repeated names, numbers a double or decimal would round). A call that fails gets a
    /// tool result with code <c>invalid_call</c> and its <c>instance_location</c>, and the policy is not asked.
    /// Default <see langword="true"/>: without it, the tool may bind <c>"SELL"</c> as <c>Sell</c> where the policy
    /// saw another value. Turn it off only when the host validates the arguments itself, as strictly, before the filter.
    /// </summary>
    public bool ValidateArguments { get; set; } = true;

    /// <summary>
    /// Whether an allowed call's limit spend is given back (<see cref="PolicyEvaluator.RefundAsync"/>) when the
    /// tool throws or returns a result with <c>IsError</c>: a failed transfer does not eat the daily budget. Default
    /// <see langword="true"/>. Which limits are refunded is the engine's <see cref="PolicyEngineOptions.Refunds"/>:
    /// engines registered with <c>AddPolicyEngine</c> refund limits with a <c>cost</c> (budgets) and keep counting
    /// failed calls against count limits, which guard the tool against being hammered whether it succeeds or not.
    /// An approval spent by the call is never restored.
    /// </summary>
    public bool RefundOnToolError { get; set; } = true;

    /// <summary>Records metrics and the decision log; default: the container's <see cref="PolicyTelemetry"/>, else metrics only.</summary>
    public PolicyTelemetry? Telemetry { get; set; }

    internal IReadOnlyDictionary<string, string> FrozenClaims => _frozenClaims ?? new Dictionary<string, string>(ContextClaims, StringComparer.Ordinal);

    internal McpPolicyOptions Validated()
    {
        if (PolicyName is { Length: 0 })
        {
            throw new ArgumentException("The policy name must not be empty; use null for the default engine.", nameof(PolicyName));
        }

        ArgumentException.ThrowIfNullOrEmpty(ProcessSessionId, nameof(ProcessSessionId));
        foreach (var (name, claimType) in ContextClaims)
        {
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(claimType))
            {
                throw new ArgumentException("Context names and claim types must not be empty.", nameof(ContextClaims));
            }
        }

        var copy = (McpPolicyOptions)MemberwiseClone();
        copy._frozenClaims = new Dictionary<string, string>(ContextClaims, StringComparer.Ordinal);
        return copy;
    }
}
