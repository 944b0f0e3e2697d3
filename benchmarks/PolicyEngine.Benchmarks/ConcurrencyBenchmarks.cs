using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// Scaling: the same number of allow-path limit decisions done by one thread, then split over two threads with
/// distinct sessions. Both report time per decision, so throughput(2 threads) / throughput(1 thread) is
/// <c>OneThread</c>'s mean over <c>TwoThreadsDistinctSessions</c>'s mean (the Ratio column shows its inverse).
/// </summary>
[MemoryDiagnoser]
public class ConcurrencyBenchmarks
{
    private const int CallsPerThread = 100_000;

    private PolicyEvaluator _evaluator = null!;
    private ToolCall _first;
    private ToolCall _second;

    [GlobalSetup]
    public void Setup()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.LimitPolicy(Workloads.AllowPathLimit)));
        _first = new ToolCall(Workloads.LimitedTool) { SessionId = "session-a" };
        _second = new ToolCall(Workloads.LimitedTool) { SessionId = "session-b" };
        Workloads.Expect(_evaluator.Evaluate(in _first), DecisionCodes.Allowed, nameof(ConcurrencyBenchmarks));
        Workloads.Expect(_evaluator.Evaluate(in _second), DecisionCodes.Allowed, nameof(ConcurrencyBenchmarks));
    }

    [GlobalCleanup]
    public void Cleanup() => _evaluator.Dispose();

    /// <summary>2 × 100,000 decisions on one thread, one session.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * CallsPerThread)]
    public int OneThread() => Run(_first, 2 * CallsPerThread);

    /// <summary>100,000 decisions on each of two threads, each thread with its own session.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public int TwoThreadsDistinctSessions()
    {
        int first = 0, second = 0;
        Parallel.Invoke(() => first = Run(_first, CallsPerThread), () => second = Run(_second, CallsPerThread));
        return first + second;
    }

    private int Run(ToolCall call, int count)
    {
        var allowed = 0;
        for (var i = 0; i < count; i++)
        {
            allowed += _evaluator.Evaluate(in call).IsAllowed ? 1 : 0;
        }

        if (allowed != count)
        {
            throw new InvalidOperationException($"Only {allowed} of {count} calls were allowed.");
        }

        return allowed;
    }
}
