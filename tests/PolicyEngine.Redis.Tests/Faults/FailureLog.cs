using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// What the evaluator reports about a failing store: the warnings it logs (to this logger, one evaluator's), and the
/// <c>policyengine.state.failures</c> measurements (of the whole process, so other tests' failures count too).
/// </summary>
internal sealed class FailureLog : ILogger, IDisposable
{
    private readonly MeterListener _listener = new();
    private long _measured;

    public FailureLog()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PolicyEngineDiagnostics.Name && instrument.Name == PolicyEngineDiagnostics.StateFailuresCounter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _measured, value));
        _listener.Start();
    }

    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public long Measured => Interlocked.Read(ref _measured);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public void Dispose() => _listener.Dispose();
}
