using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PolicyEngine.Hosting;

/// <summary>
/// Builds every registered engine when the host starts, before any hosted service's <c>StartAsync</c> (an MCP server's
/// transport included), as <c>ValidateOnStart</c> does for options: a missing or invalid policy stops the start with
/// the file and every <c>FILE:LINE:COL: POINTER: message</c>, in the exception and the log, instead of a server
/// that starts "healthy" and then fails every call.
/// </summary>
internal sealed partial class PolicyEngineStartup(
    IServiceProvider services,
    IEnumerable<PolicyEngineRegistration> registrations,
    ILogger<PolicyEngineStartup>? logger = null) : IHostedLifecycleService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        List<Exception> failures = [];
        foreach (var registration in registrations)
        {
            try
            {
                _ = services.GetRequiredKeyedService<PolicyEngineInstance>(registration.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The host logs the exception with its stack; this line names the engine and says what to fix.
                LogFailed(_logger, registration.Name ?? "(default)", e.Message);
                failures.Add(e);
            }
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"{failures.Count} policy engines could not start.", failures);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "The policy engine '{Name}' cannot start: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);
}
