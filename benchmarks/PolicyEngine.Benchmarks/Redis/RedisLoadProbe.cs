using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using PolicyEngine.Redis;
using RedisRateLimiting;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// <c>--redis-load [seconds] [rounds] [ours|peer]</c>: <see cref="RedisBenchmarks.OneLimit"/> and the peer's
/// <see cref="RedisPeerBenchmarks.SlidingWindow"/> at 16 callers, alternating in one process, on one multiplexer, for a
/// number of seconds each: decisions a second and bytes allocated a decision (all threads). Not a benchmark: a quick
/// side-by-side to compare changes with, and (with <c>ours</c> or <c>peer</c>, one alone) a steady load to trace with dotnet-trace.
/// </summary>
internal static class RedisLoadProbe
{
    private const int Callers = 16;

    public static void Run(int seconds, int rounds, string? only)
    {
        using var redis = BenchmarkRedis.Start();
        using var store = new RedisStateStore(redis.Connection, new RedisStateOptions { KeyPrefix = $"load-{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(1) });
        using var evaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = store });
        var sessions = Workloads.SessionIds(Callers);
        var calls = sessions.Select(s => new ToolCall(RedisWorkloads.OneLimitTool) { SessionId = s }).ToArray();
        string run = Guid.NewGuid().ToString("N");
        var limiters = sessions.Select(session => (RateLimiter)new RedisSlidingWindowRateLimiter<string>($"{run}:{session}",
            new RedisSlidingWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis.Connection, PermitLimit = RedisWorkloads.PeerPermits, Window = TimeSpan.FromSeconds(1) })).ToArray();
        Func<int, ValueTask<bool>> ours = c => RedisBenchmarks.Allowed(evaluator.EvaluateAsync(calls[c]));
        Func<int, ValueTask<bool>> peer = async c =>
        {
            using var lease = await limiters[c].AcquireAsync(1).ConfigureAwait(false);
            return lease.IsAcquired;
        };
        Measure(redis, ours, 1); // warm up both
        Measure(redis, peer, 1);
        if (only is not null)
        {
            var alone = Measure(redis, only == "peer" ? peer : ours, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{only} only: {alone.PerSecond:F0}/s, {alone.BytesEach:F0} B, client {alone.ClientMicroseconds:F1} µs CPU, Redis {alone.RedisMicroseconds:F1} µs CPU a decision"));
            return;
        }

        // CPU: the client's is this process's (user and system) over the decisions, the server's from INFO cpu.
        Console.WriteLine($"{"round",5} {"ours/s",9} {"peer/s",9} {"ours/peer",9} {"ours B",7} {"peer B",7} {"ours client µs",15} {"peer client µs",15} {"ours Redis µs",14} {"peer Redis µs",14}");
        for (int round = 1; round <= rounds; round++)
        {
            var a = Measure(redis, ours, seconds);
            var b = Measure(redis, peer, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5} {a.PerSecond,9:F0} {b.PerSecond,9:F0} {a.PerSecond / b.PerSecond,9:F3} {a.BytesEach,7:F0} {b.BytesEach,7:F0} {a.ClientMicroseconds,15:F2} {b.ClientMicroseconds,15:F2} {a.RedisMicroseconds,14:F2} {b.RedisMicroseconds,14:F2}"));
        }

        foreach (var limiter in limiters)
        {
            limiter.Dispose();
        }
    }

    private static (double PerSecond, double BytesEach, double ClientMicroseconds, double RedisMicroseconds) Measure(BenchmarkRedis redis, Func<int, ValueTask<bool>> decide, int seconds)
    {
        long decisions = 0;
        long redisCpu = redis.CpuMicroseconds();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stop = Stopwatch.StartNew();
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        var until = TimeSpan.FromSeconds(seconds);
        var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            long made = 0;
            while (stop.Elapsed < until)
            {
                await decide(c).ConfigureAwait(false);
                made++;
            }

            Interlocked.Add(ref decisions, made);
        })).ToArray();
        Task.WaitAll(callers);
        double elapsed = stop.Elapsed.TotalSeconds;
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        double client = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMicroseconds;
        double server = redis.CpuMicroseconds() - redisCpu;
        return (decisions / elapsed, (double)bytes / decisions, client / decisions, server / decisions);
    }
}
