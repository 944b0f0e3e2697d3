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

    private const int ChainBytes = 32 * 1024;
    private const int LineInts = 64 / sizeof(int);

    private readonly int[][] _chains = [Chain(seed: 1), Chain(seed: 2)];
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

    /// <summary>
    /// The control: a loop of pure arithmetic on one thread, then the same work split over two. It shares no
    /// memory between the threads, so its scaling is what the host's two cores give at that moment; the
    /// decisions' scaling is read against it, in the same run.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ControlOneThread() => Spin(2 * CallsPerThread);

    /// <summary>The control's work split over two threads.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ControlTwoThreads() => OnTwoThreads(Spin);

    /// <summary>The second control: only clock reads (what every limit decision does once), on one thread.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ClockOneThread() => ReadClock(2 * CallsPerThread);

    /// <summary>The clock reads split over two threads: whether the host's clock itself scales.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long ClockTwoThreads() => OnTwoThreads(ReadClock);

    /// <summary>
    /// The third control, a probe of where the host put the two vCPUs: a pointer chase through 32 KiB, which
    /// one core's 48 KiB L1 data cache holds. On two physical cores each thread keeps its own L1 and the work
    /// scales ~2×; on two hyperthreads of one core the two 32 KiB sets share one L1, miss, and scale below 1×.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long SharedCacheOneThread() => Chase(_chains[0], 2 * CallsPerThread);

    /// <summary>The probe on two threads, each with its own 32 KiB chain.</summary>
    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public long SharedCacheTwoThreads()
    {
        long first = 0, second = 0;
        Parallel.Invoke(() => first = Chase(_chains[0], CallsPerThread), () => second = Chase(_chains[1], CallsPerThread));
        return first + second;
    }

    private static long OnTwoThreads(Func<int, long> work)
    {
        long first = 0, second = 0;
        Parallel.Invoke(() => first = work(CallsPerThread), () => second = work(CallsPerThread));
        return first + second;
    }

    private static long ReadClock(int count)
    {
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += TimeProvider.System.GetTimestamp();
        }

        return sum;
    }

    // About as long per step as a decision (tens of nanoseconds): a dependent chain the JIT cannot fold.
    private static long Spin(int count)
    {
        ulong x = (ulong)count;
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < 32; j++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }

        return (long)x;
    }

    /// <summary>One int per 64-byte line links the lines of 32 KiB in a random cycle, so every step is a dependent load the prefetcher cannot guess.</summary>
    private static int[] Chain(int seed)
    {
        var chain = new int[ChainBytes / sizeof(int)];
        int lines = chain.Length / LineInts;
        var order = Enumerable.Range(0, lines).ToArray();
        new Random(seed).Shuffle(order);
        for (var i = 0; i < lines; i++)
        {
            chain[order[i] * LineInts] = order[(i + 1) % lines] * LineInts;
        }

        return chain;
    }

    private static long Chase(int[] chain, int count)
    {
        int at = 0;
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < 16; j++)
            {
                at = chain[at];
            }

            sum += at;
        }

        return sum;
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
