using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>
/// Wraps an <see cref="McpClient"/> so that an agent host enforces its policy before a call leaves the process. A call
/// that is not allowed never reaches the server: it gets the same result a protected server gives
/// (<see cref="McpPolicyResults"/>). Pins are checked against the definitions the server listed through this wrapper.
/// </summary>
public sealed class PolicyEnforcingMcpClient
{
    private readonly ConcurrentDictionary<string, string> _pins = new(StringComparer.Ordinal);

    // Names the last listing gave more than once: which definition the server would run is unknown, so none is used.
    private volatile FrozenSet<string> _ambiguous = FrozenSet<string>.Empty;
    private readonly PolicyTelemetry _telemetry;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly string _sessionId;
    private readonly IReadOnlyDictionary<string, JsonElement>? _context;

    /// <summary>Wraps a client.</summary>
    /// <param name="client">The connected client.</param>
    /// <param name="evaluator">The host's evaluator.</param>
    /// <param name="options">Session, context and telemetry; <see langword="null"/> for the defaults.</param>
    public PolicyEnforcingMcpClient(McpClient client, PolicyEvaluator evaluator, McpClientPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(evaluator);
        Client = client;
        Evaluator = evaluator;
        _telemetry = options?.Telemetry ?? new PolicyTelemetry();
        _serializerOptions = options?.SerializerOptions ?? McpJsonUtilities.DefaultOptions;
        _sessionId = options?.SessionId ?? client.SessionId ?? Guid.NewGuid().ToString("N");
        _context = options?.Context;
    }

    /// <summary>The wrapped client.</summary>
    public McpClient Client { get; }

    /// <summary>The evaluator that decides the calls; approve pending calls through it.</summary>
    public PolicyEvaluator Evaluator { get; }

    /// <summary>The session id the calls carry.</summary>
    public string SessionId => _sessionId;

    /// <summary>
    /// Lists the server's tools less the ones the policy hides, each wrapped so that invoking it enforces the policy.
    /// A name the listing gives more than once is ambiguous (a rug-pulled definition can hide behind the pinned one):
    /// no tool of that name is returned, and calls to it are refused as <see cref="DecisionCodes.DefinitionChanged"/>
    /// until a listing gives the name once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The visible tools, as <see cref="Microsoft.Extensions.AI.AIFunction"/>s.</returns>
    public async ValueTask<IReadOnlyList<PolicyEnforcedMcpClientTool>> ListToolsAsync(CancellationToken cancellationToken = default)
    {
        var tools = await Client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var ambiguous = tools.GroupBy(t => t.ProtocolTool.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToFrozenSet(StringComparer.Ordinal);
        _ambiguous = ambiguous;
        foreach (var tool in tools)
        {
            var definition = tool.ProtocolTool;
            if (ambiguous.Contains(definition.Name))
            {
                _pins.TryRemove(definition.Name, out _);
            }
            else
            {
                _pins[definition.Name] = ToolPin.Compute(definition.Name, definition.Description, definition.InputSchema);
            }
        }

        return [.. Evaluator.FilterTools(tools.Where(t => !ambiguous.Contains(t.ProtocolTool.Name)), t => t.Name)
            .Select(t => new PolicyEnforcedMcpClientTool(t, this))];
    }

    /// <summary>Decides a call and, when it is allowed, sends it.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">The arguments; serialized once, and what is evaluated is what is sent.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The server's result, or the policy result when the call was not allowed.</returns>
    public ValueTask<CallToolResult> CallToolAsync(string toolName, IReadOnlyDictionary<string, object?>? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        return CallToolAsync(new CallToolRequestParams { Name = toolName, Arguments = Serialize(arguments) }, cancellationToken);
    }

    /// <summary>Decides a call given as protocol parameters and, when it is allowed, sends it.</summary>
    /// <param name="requestParams">The call.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The server's result, or the policy result when the call was not allowed.</returns>
    public async ValueTask<CallToolResult> CallToolAsync(CallToolRequestParams requestParams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestParams);
        if (requestParams.Name is { } name && _ambiguous.Contains(name))
        {
            return McpPolicyResults.Create("deny", DecisionCodes.DefinitionChanged, null,
                Sentences.AmbiguousServerTool(name));
        }

        var decision = await EvaluateAsync(requestParams, cancellationToken).ConfigureAwait(false);
        return decision.IsAllowed
            ? await Client.CallToolAsync(requestParams, cancellationToken).ConfigureAwait(false)
            : McpPolicyResults.ToCallToolResult(in decision);
    }

    /// <summary>
    /// Decides a call without sending it. Spends limits and approvals like a real call when allowed. A name the last
    /// listing gave more than once has no pinned definition here (so a pinned entry refuses it); whatever the policy
    /// says, <see cref="CallToolAsync(CallToolRequestParams, CancellationToken)"/> does not send it.
    /// With an evaluator over a shared <see cref="PolicyEngineOptions.StateStore"/>, this blocks for the store's round
    /// trip; <see cref="EvaluateAsync"/> does not.
    /// </summary>
    /// <param name="requestParams">The call.</param>
    /// <returns>The decision.</returns>
    public Decision Evaluate(CallToolRequestParams requestParams)
    {
        ArgumentNullException.ThrowIfNull(requestParams);
        var call = ToToolCall(requestParams);
        return _telemetry.Evaluate(Evaluator, in call);
    }

    /// <summary>
    /// <see cref="Evaluate"/> without blocking: with the in-memory state it completes synchronously; with a shared
    /// store it waits for the one round trip. Never throws for a failing store: the call is then denied with
    /// <see cref="DecisionCodes.StateUnavailable"/>.
    /// </summary>
    /// <param name="requestParams">The call.</param>
    /// <param name="cancellationToken">Stops waiting for the store (the call is then denied).</param>
    /// <returns>The decision.</returns>
    public ValueTask<Decision> EvaluateAsync(CallToolRequestParams requestParams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestParams);
        return _telemetry.EvaluateAsync(Evaluator, ToToolCall(requestParams), cancellationToken);
    }

    /// <summary>The approval id a call would get, so the host can approve it before retrying.</summary>
    /// <param name="toolName">The tool.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The id, or <see langword="null"/> for an invalid call.</returns>
    public string? GetApprovalId(string toolName, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        var call = ToToolCall(new CallToolRequestParams { Name = toolName, Arguments = Serialize(arguments) });
        return Evaluator.GetApprovalId(in call);
    }

    private ToolCall ToToolCall(CallToolRequestParams requestParams) =>
        new(requestParams.Name ?? "", requestParams.Arguments)
        {
            SessionId = _sessionId,
            Context = _context,
            DefinitionPin = requestParams.Name is { } name && _pins.TryGetValue(name, out var pin) ? pin : null,
        };

    private Dictionary<string, JsonElement>? Serialize(IReadOnlyDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var result = new Dictionary<string, JsonElement>(arguments.Count, StringComparer.Ordinal);
        foreach (var (key, value) in arguments)
        {
            result[key] = value switch
            {
                null => JsonSerializer.SerializeToElement<object?>(null, _serializerOptions),
                JsonElement element => element,
                _ => JsonSerializer.SerializeToElement(value, _serializerOptions.GetTypeInfo(value.GetType())),
            };
        }

        return result;
    }
}
