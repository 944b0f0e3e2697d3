using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Schema;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>The call-tool and list-tools filters that <c>WithPolicyEngine</c> installs.</summary>
internal sealed partial class McpPolicyFilter(McpPolicyOptions options)
{
    // Pins are hashed once per listed tool definition, not once per call.
    private readonly ConditionalWeakTable<Tool, string> _pins = [];

    // Input schemas are compiled once per listed tool definition, like pins.
    private readonly ConditionalWeakTable<Tool, ToolArgumentSchema> _schemas = [];
    private PolicyTelemetry? _telemetry;
    private int _watchingReloads;
    private int _warnedSharedSession;

    public McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var services = ServicesOf(request);
            WatchReloads(services, request.Server);
            var evaluator = ResolveEvaluator(services);
            if (CheckArguments(request, evaluator) is { } refused)
            {
                return refused;
            }

            var telemetry = ResolveTelemetry(services);
            var call = ToToolCall(request, services);

            // EvaluateAsync: with the in-memory state it completes synchronously without allocating; with a shared
            // store it waits for the one round trip without holding a thread-pool thread.
            var decision = await telemetry.EvaluateAsync(evaluator, call, cancellationToken).ConfigureAwait(false);
            if (decision.IsAllowed)
            {
                return await RunAsync(next, request, evaluator, decision, cancellationToken).ConfigureAwait(false);
            }

            if (decision.Effect == PolicyEffect.RequireApproval && options.ApproveThroughElicitation &&
                decision.ApprovalId is { } approvalId && request.Server.ClientCapabilities?.Elicitation is not null)
            {
                if (!await ElicitApproval.AskAsync(request.Server, request.Params!, decision, cancellationToken).ConfigureAwait(false))
                {
                    // A store that fails here leaves the request pending until it expires: never approved either way.
                    await StoreAsync(evaluator.DenyAsync(approvalId, cancellationToken), cancellationToken).ConfigureAwait(false);
                    // The person said no: a deny (the request is dropped), not a request still waiting for someone.
                    return McpPolicyResults.Create("deny", DecisionCodes.Denied, decision.Rule, "Approval was declined: " + (decision.Message ?? decision.Code));
                }

                // When the store fails to record the consent, the call is decided again all the same: the failure has
                // opened the evaluator's breaker, so the answer is state_unavailable with the engine's message (or,
                // once the store is back, whatever it holds), never an exception that would drop the session.
                await StoreAsync(evaluator.ApproveAsync(approvalId, cancellationToken), cancellationToken).ConfigureAwait(false);
                decision = await telemetry.EvaluateAsync(evaluator, call, cancellationToken).ConfigureAwait(false);
                if (decision.IsAllowed)
                {
                    return await RunAsync(next, request, evaluator, decision, cancellationToken).ConfigureAwait(false);
                }
            }

            return McpPolicyResults.ToCallToolResult(in decision);
        };

    /// <summary>Waits for an approval operation; a store failure is already logged and counted by the evaluator, so it becomes <see langword="false"/>.</summary>
    private static async ValueTask<bool> StoreAsync(ValueTask<bool> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the store throws, the caller gets a tool result, never a transport error.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>
    /// Runs an allowed call's tool. When it throws or returns <c>IsError</c>, the call's limit spend is given back
    /// (<see cref="McpPolicyOptions.RefundOnToolError"/>): the tool did not do what was paid for. Never the approval.
    /// </summary>
    private async ValueTask<CallToolResult> RunAsync(McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        RequestContext<CallToolRequestParams> request, PolicyEvaluator evaluator, Decision decision, CancellationToken cancellationToken)
    {
        if (!options.RefundOnToolError || !decision.IsRefundable)
        {
            return await next(request, cancellationToken).ConfigureAwait(false);
        }

        // The refund is not tied to the request's token: a tool cancelled with its request still gives its spend back.
        // The store's own timeout bounds the wait; a failed refund leaves the spend counted (the safe side).
        CallToolResult result;
        try
        {
            result = await next(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await evaluator.RefundAsync(decision, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.IsError == true)
        {
            await evaluator.RefundAsync(decision, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    public McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (request, cancellationToken) =>
        {
            var result = await next(request, cancellationToken).ConfigureAwait(false);
            var services = ServicesOf(request);
            WatchReloads(services, request.Server);
            if (result.Tools is { Count: > 0 } tools)
            {
                result.Tools = [.. ResolveEvaluator(services).FilterTools(tools, t => t.Name)];
            }

            return result;
        };

    /// <summary>
    /// Refuses, before the policy is asked (so nothing is spent), a call whose arguments the tool would bind differently
    /// from how the policy reads them: see <see cref="ToolArgumentSchema"/>. A call that matched no tool is decided as
    /// before: the policy answers it, then the SDK reports the unknown tool. So does a hidden tool, so that the answer
    /// to it says nothing of its parameters.
    /// </summary>
    private CallToolResult? CheckArguments(RequestContext<CallToolRequestParams> request, PolicyEvaluator evaluator)
    {
        if (!options.ValidateArguments || (request.MatchedPrimitive as McpServerTool)?.ProtocolTool is not { } tool ||
            evaluator.IsHidden(tool.Name))
        {
            return null;
        }

        var schema = _schemas.GetValue(tool, static t => ToolArgumentSchema.Compile(t.InputSchema));
        return schema.Check(request.Params?.Arguments) is { } violation
            ? McpPolicyResults.Create("deny", DecisionCodes.InvalidCall, null, violation.Message, instanceLocation: violation.InstanceLocation)
            : null;
    }

    private ToolCall ToToolCall(RequestContext<CallToolRequestParams> request, IServiceProvider services)
    {
        var parameters = request.Params;
        var tool = (request.MatchedPrimitive as McpServerTool)?.ProtocolTool;
        return new ToolCall(parameters?.Name ?? "", parameters?.Arguments)
        {
            SessionId = options.SessionSelector?.Invoke(request) ?? SessionOf(request, services),
            Context = options.ContextFactory is { } factory ? factory(request.User) : ClaimsContext.FromClaims(request.User, options.FrozenClaims),
            DefinitionPin = tool is null ? null : _pins.GetValue(tool, static t => ToolPin.Compute(t.Name, t.Description, t.InputSchema)),
        };
    }

    /// <summary>
    /// <see cref="SessionOf(string?, ClaimsPrincipal?, string)"/>; the first time calls of a server with many sessions
    /// (HTTP) fall back to the process session, says once that all such callers share it.
    /// </summary>
    private string SessionOf(RequestContext<CallToolRequestParams> request, IServiceProvider services)
    {
        var session = SessionOf(request.Server.SessionId, request.User, options.ProcessSessionId);
        if (ReferenceEquals(session, options.ProcessSessionId) && Volatile.Read(ref _warnedSharedSession) == 0 &&
            services.GetService<McpServer>() is null && // not the one session of a stdio or stream server
            Interlocked.Exchange(ref _warnedSharedSession, 1) == 0 &&
            services.GetService<ILoggerFactory>() is { } loggers)
        {
            LogSharedSession(loggers.CreateLogger("PolicyEngine.ModelContextProtocol"), session);
        }

        return session;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message =
        "A tool call came with no MCP session and no authenticated user id (stateless HTTP, anonymous callers): all such calls share " +
        "the engine session '{Session}', so per-session limits and approvals apply to all of those callers together. " +
        "Authenticate callers, serve stateful sessions, or set McpPolicyOptions.SessionSelector.")]
    private static partial void LogSharedSession(ILogger logger, string session);

    /// <summary>
    /// The transport's session; without one (stdio, stateless HTTP) the authenticated user, so that one user's
    /// approvals and counters are never another's; else the process.
    /// </summary>
    internal static string SessionOf(string? transportSession, ClaimsPrincipal? user, string processSession)
    {
        if (!string.IsNullOrEmpty(transportSession))
        {
            return transportSession;
        }

        var id = user?.Identity?.IsAuthenticated == true
            ? (user.FindFirst(ClaimTypes.NameIdentifier) ?? user.FindFirst("sub"))?.Value
            : null;
        return string.IsNullOrEmpty(id) ? processSession : "user:" + id;
    }

    /// <summary>
    /// A reload may change which tools are hidden, so the client is told to list them again. Only for a server that is
    /// the container's single session (stdio, streams; requests see it through a per-request wrapper, hence the session
    /// comparison); an HTTP server's sessions come and go and are not tracked.
    /// </summary>
    private void WatchReloads(IServiceProvider services, McpServer server)
    {
        if (Volatile.Read(ref _watchingReloads) != 0 ||
            services.GetService<McpServer>() is not { } single ||
            !string.Equals(single.SessionId, server.SessionId, StringComparison.Ordinal) ||
            Interlocked.Exchange(ref _watchingReloads, 1) != 0)
        {
            return;
        }

        var watcher = options.PolicyName is null
            ? services.GetService<PolicyFileWatcher>()
            : services.GetKeyedService<PolicyFileWatcher>(options.PolicyName);
        if (watcher is not null)
        {
            watcher.Reloaded += (_, _) => _ = NotifyToolsChangedAsync(single);
        }
    }

    private static async Task NotifyToolsChangedAsync(McpServer server)
    {
        try
        {
            await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A session that has closed has nobody left to tell; the reload itself stands.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    // Fail closed: without a container there is no engine, and nothing is listed or called unchecked.
    private static IServiceProvider ServicesOf(MessageContext request) =>
        request.Services ?? request.Server.Services
        ?? throw new InvalidOperationException("The MCP server has no service provider to resolve the policy engine from.");

    private PolicyEvaluator ResolveEvaluator(IServiceProvider services) =>
        (options.PolicyName is null
            ? services.GetService<PolicyEvaluator>()
            : services.GetKeyedService<PolicyEvaluator>(options.PolicyName))
        ?? throw new InvalidOperationException(
            $"No policy engine '{options.PolicyName ?? "(default)"}' is registered; call services.AddPolicyEngine(...) or WithPolicyEngine(policyFile).");

    private PolicyTelemetry ResolveTelemetry(IServiceProvider services) =>
        _telemetry ??= options.Telemetry ?? services.GetService<PolicyTelemetry>() ?? new PolicyTelemetry(null, services.GetService<TimeProvider>());
}
