using System.Text.Json;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// The peers our figures are compared with, in the same run: System.Threading.RateLimiting's partitioned
/// sliding window (against <c>SessionRateLimit</c> and <c>TenThousandSessions</c>) and a plain interpreter
/// of the five-condition policy (against <c>FiveConditions</c>).
/// </summary>
[MemoryDiagnoser]
public class PeerBenchmarks
{
    private PartitionedRateLimiter<string> _limiter = null!;
    private string[] _sessions = [];
    private int _next;
    private NaivePolicyInterpreter _interpreter = null!;
    private JsonElement _arguments;

    [GlobalSetup(Targets = [nameof(PartitionedSlidingWindow), nameof(PartitionedSlidingWindowTenThousand)])]
    public void SetupLimiter()
    {
        // Like the engine's allow-path limit: so many permits per 1 s window that every acquire is granted.
        _limiter = PartitionedRateLimiter.Create<string, string>(session =>
            RateLimitPartition.GetSlidingWindowLimiter(session, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = int.MaxValue,
                Window = TimeSpan.FromSeconds(1),
                SegmentsPerWindow = 10,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        _sessions = Workloads.SessionIds(EvaluateBenchmarks.Sessions);

        // Every partition exists before measuring starts, as the engine's counters do.
        foreach (var session in _sessions)
        {
            using var lease = _limiter.AttemptAcquire(session);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException($"The sliding window refused {session} in setup.");
            }
        }
    }

    [GlobalSetup(Target = nameof(NaiveInterpreter))]
    public void SetupInterpreter()
    {
        _interpreter = new NaivePolicyInterpreter(JsonDocument.Parse(Workloads.FiveConditionsPolicy));
        _arguments = Workloads.Element(Workloads.FiveConditionsArguments);
        var code = _interpreter.Evaluate(Workloads.FiveConditionsTool, _arguments);
        if (code != DecisionCodes.Allowed)
        {
            throw new InvalidOperationException($"The naive interpreter answered '{code}' instead of 'allowed'.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _limiter?.Dispose();

    /// <summary>One acquire on one session's partition; peer of <c>EvaluateBenchmarks.SessionRateLimit</c>.</summary>
    [Benchmark]
    public bool PartitionedSlidingWindow()
    {
        using var lease = _limiter.AttemptAcquire(_sessions[0]);
        return lease.IsAcquired;
    }

    /// <summary>One acquire, cycling over 10,000 partitions; peer of <c>EvaluateBenchmarks.TenThousandSessions</c>.</summary>
    [Benchmark]
    public bool PartitionedSlidingWindowTenThousand()
    {
        var i = _next;
        _next = i + 1 == _sessions.Length ? 0 : i + 1;
        using var lease = _limiter.AttemptAcquire(_sessions[i]);
        return lease.IsAcquired;
    }

    /// <summary>
    /// Not a peer but the floor under every limit decision: one read of the clock the limits use. An exact sliding
    /// window reads it once per call; the partitioned limiter above never does (a timer moves its window).
    /// </summary>
    [Benchmark]
    public long ClockRead() => TimeProvider.System.GetTimestamp();

    /// <summary>The five-condition policy read from its <see cref="JsonDocument"/> on every call; peer of <c>FiveConditions</c>.</summary>
    [Benchmark]
    public string NaiveInterpreter() => _interpreter.Evaluate(Workloads.FiveConditionsTool, _arguments);
}
