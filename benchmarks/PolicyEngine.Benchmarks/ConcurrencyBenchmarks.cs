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
    // Each two-thread invocation forks and joins once, and on this VM waking the idle second vCPU is slow:
    // at 100,000 calls (5 ms) the control, the probe and the decisions all scaled less (benchmarks/README.md).
    private const int CallsPerThread = 500_000;

    private readonly int[][] _chains = [ScalingWork.Chain(seed: 1), ScalingWork.Chain(seed: 2)];
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

    /// <summary>2 × 500,000 decisions on one thread, one session.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * CallsPerThread)]
    public int OneThread() => Run(_first, 2 * CallsPerThread);

    /// <summary>500,000 decisions on each of two threads, each thread with its own session.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public int TwoThreadsDistinctSessions()
    {
        int first = 0, second = 0;
        Parallel.Invoke(() => first = Run(_first, CallsPerThread), () => second = Run(_second, CallsPerThread));
        return first + second;
    }

    /// <summary>
    /// The control: a loop of pure arithmetic on one thread, then the same work split over two. It shares no
    /// memory between the threads, so its scaling is what the host's two cores give at that moment; the
    /// decisions' scaling is read against it, in the same run.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ControlOneThread() => ScalingWork.Spin(2 * CallsPerThread);

    /// <summary>The control's work split over two threads.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ControlTwoThreads() => ScalingWork.OnTwoThreads(CallsPerThread, static (_, count) => ScalingWork.Spin(count));

    /// <summary>The second control: only clock reads (what every limit decision does once), on one thread.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ClockOneThread() => ScalingWork.ReadClock(2 * CallsPerThread);

    /// <summary>The clock reads split over two threads: whether the host's clock itself scales.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ClockTwoThreads() => ScalingWork.OnTwoThreads(CallsPerThread, static (_, count) => ScalingWork.ReadClock(count));

    /// <summary>
    /// The third control, a probe of what the host gives two threads: a pointer chase through 32 KiB, which one
    /// core's 48 KiB L1 data cache holds, on private data. On two physical cores it scales ~2×. On two
    /// hyperthreads of one core the two 32 KiB sets share one L1 and miss (below 1×); with the two vCPUs
    /// time-sliced on one CPU it scales 1×. <c>--scaling-probe</c> (see <see cref="ScalingProbe"/>) runs it
    /// round by round beside the decisions.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long SharedCacheOneThread() => ScalingWork.Chase(_chains[0], 2 * CallsPerThread);

    /// <summary>The probe on two threads, each with its own 32 KiB chain.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long SharedCacheTwoThreads() => ScalingWork.OnTwoThreads(CallsPerThread, (thread, count) => ScalingWork.Chase(_chains[thread], count));

    private int Run(ToolCall call, int count) => ScalingWork.Decide(_evaluator, call, count);
}
