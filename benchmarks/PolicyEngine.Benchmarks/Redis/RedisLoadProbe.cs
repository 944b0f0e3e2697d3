using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using PolicyEngine.Redis;
using RedisRateLimiting;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// <c>--redis-load [seconds] [rounds] [ours|shared|peer]</c>: <see cref="RedisBenchmarks.OneLimit"/> and the peer's
/// <see cref="RedisPeerBenchmarks.SlidingWindow"/> at 16 callers, alternating in one process, for a number of seconds
/// each: decisions a second, bytes allocated a decision (all threads), and the CPU a decision cost this process and
/// redis-server. Ours runs twice: on a connection of its own (<see cref="RedisStateStore.Connect"/>, what
/// <c>UseRedis("host:port")</c> registers), and on the multiplexer the peer uses (what <c>UseRedis()</c> with a container
/// connection gets: StackExchange.Redis then writes <c>SELECT</c> before every <c>FCALL</c>). Not a benchmark: a quick
/// side-by-side to compare changes with, and (with one side named) a steady load to trace with dotnet-trace or perf.
/// </summary>
internal static class RedisLoadProbe
{
    private const int Callers = 16;

    public static void Run(int seconds, int rounds, string? only)
    {
        using var redis = BenchmarkRedis.Start();
        var options = new RedisStateOptions { Configuration = redis.Configuration, KeyPrefix = $"load-{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(1) };
        using var own = RedisStateStore.Connect(options);
        using var shared = new RedisStateStore(redis.Connection, new RedisStateOptions { KeyPrefix = options.KeyPrefix + "-shared", Timeout = options.Timeout });
        using var ownEvaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = own });
        using var sharedEvaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = shared });
        var sessions = Workloads.SessionIds(Callers);
        var calls = sessions.Select(s => new ToolCall(RedisWorkloads.OneLimitTool) { SessionId = s }).ToArray();
        string run = Guid.NewGuid().ToString("N");
        var limiters = sessions.Select(session => (RateLimiter)new RedisSlidingWindowRateLimiter<string>($"{run}:{session}",
            new RedisSlidingWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis.Connection, PermitLimit = RedisWorkloads.PeerPermits, Window = TimeSpan.FromSeconds(1) })).ToArray();
        Func<int, ValueTask<bool>> ours = c => RedisBenchmarks.Allowed(ownEvaluator.EvaluateAsync(calls[c]));
        Func<int, ValueTask<bool>> oursShared = c => RedisBenchmarks.Allowed(sharedEvaluator.EvaluateAsync(calls[c]));
        Func<int, ValueTask<bool>> peer = async c =>
        {
            using var lease = await limiters[c].AcquireAsync(1).ConfigureAwait(false);
            return lease.IsAcquired;
        };
        Measure(redis, ours, 1); // warm up all three
        Measure(redis, oursShared, 1);
        Measure(redis, peer, 1);
        if (only is not null)
        {
            var alone = Measure(redis, only switch { "peer" => peer, "shared" => oursShared, _ => ours }, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{only} only: {alone.PerSecond:F0}/s, {alone.BytesEach:F0} B, client {alone.ClientMicroseconds:F1} µs CPU, Redis {alone.RedisMicroseconds:F1} µs CPU a decision"));
            return;
        }

        // CPU: the client's is this process's (user and system) over the decisions, the server's from INFO cpu.
        Console.WriteLine($"{"round",5} {"ours/s",8} {"shared/s",8} {"peer/s",8} {"ours/peer",9} {"shared/peer",11} {"ours B",6} {"peer B",6} {"client µs: ours",15} {"shared",6} {"peer",6} {"Redis µs: ours",14} {"shared",6} {"peer",6}");
        var sides = new[] { ours, oursShared, peer };
        var ratios = new List<(double Ours, double Shared)>();
        for (int round = 1; round <= rounds; round++)
        {
            // Each round starts with another side, so that none always runs first (or after the same one) on a noisy host.
            var measured = new (double PerSecond, double BytesEach, double ClientMicroseconds, double RedisMicroseconds)[3];
            for (int k = 0; k < 3; k++)
            {
                int side = (round - 1 + k) % 3;
                measured[side] = Measure(redis, sides[side], seconds);
            }

            var (a, s, b) = (measured[0], measured[1], measured[2]);
            ratios.Add((a.PerSecond / b.PerSecond, s.PerSecond / b.PerSecond));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5} {a.PerSecond,8:F0} {s.PerSecond,8:F0} {b.PerSecond,8:F0} {a.PerSecond / b.PerSecond,9:F3} {s.PerSecond / b.PerSecond,11:F3} {a.BytesEach,6:F0} {b.BytesEach,6:F0} {a.ClientMicroseconds,15:F2} {s.ClientMicroseconds,6:F2} {b.ClientMicroseconds,6:F2} {a.RedisMicroseconds,14:F2} {s.RedisMicroseconds,6:F2} {b.RedisMicroseconds,6:F2}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median ours/peer {Median(ratios.Select(r => r.Ours)):F3} (ours ahead in {ratios.Count(r => r.Ours > 1)} of {ratios.Count} rounds), shared/peer {Median(ratios.Select(r => r.Shared)):F3} ({ratios.Count(r => r.Shared > 1)} of {ratios.Count})"));
        foreach (var limiter in limiters)
        {
            limiter.Dispose();
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
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
