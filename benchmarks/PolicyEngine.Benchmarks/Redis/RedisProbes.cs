using System.Globalization;
using PolicyEngine.Redis;
using RedisRateLimiting;
using StackExchange.Redis;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// What the Redis benchmarks cannot show by timing: how many commands Redis ran per decision (<c>INFO commandstats</c>
/// deltas, beside the multiplexer's own count of operations sent), and how many bytes a full counter takes
/// (<c>MEMORY USAGE</c> of every key it created).
/// </summary>
internal static class RedisProbes
{
    private const int Decisions = 1000;

    /// <summary><c>--redis-roundtrips</c>: round trips, scripts and commands per decision for each workload, and for the peer with one and three limiters.</summary>
    public static void RoundTrips()
    {
        using var redis = BenchmarkRedis.Start();
        // The store's own connection, made here as RedisStateStore.Connect makes it on database 0 (SELECT turned off), so
        // that its operations can be counted; and the benchmark's multiplexer, shared, as UseRedis() with a container's.
        using var connection = ConnectionMultiplexer.Connect(redis.Configuration + ",$SELECT=");
        using var store = new RedisStateStore(connection, new RedisStateOptions { KeyPrefix = $"probe-{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(1) });
        using var evaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = store });
        using var shared = new RedisStateStore(redis.Connection, new RedisStateOptions { KeyPrefix = $"probe-{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(1) });
        using var sharedEvaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = shared });
        var exhausted = new ToolCall(RedisWorkloads.ExhaustedTool) { SessionId = "s" };
        Decide(evaluator, exhausted);
        Decide(evaluator, exhausted); // full now, and remembered
        Console.WriteLine($"{"workload",-32} {"round trips",12} {"operations",10} {"scripts",8} {"commands in Redis",18} {"µs in scripts",14}   (per decision)");
        Report(redis, connection, "OneLimit", () => Decide(evaluator, new ToolCall(RedisWorkloads.OneLimitTool) { SessionId = "s" }));
        Report(redis, redis.Connection, "OneLimit, shared multiplexer", () => Decide(sharedEvaluator, new ToolCall(RedisWorkloads.OneLimitTool) { SessionId = "s" }));
        Report(redis, connection, "ThreeLimits", () => Decide(evaluator, new ToolCall(RedisWorkloads.ThreeLimitsTool, RedisWorkloads.Amount) { SessionId = "s" }));
        Report(redis, connection, "Exhausted", () => Decide(evaluator, exhausted));
        Report(redis, connection, "Stateless", () => Decide(evaluator, new ToolCall(RedisWorkloads.DeniedTool) { SessionId = "s" }));
        var limiters = Enumerable.Range(0, 3).Select(i => new RedisSlidingWindowRateLimiter<string>($"probe-{Guid.NewGuid():N}-{i}",
            new RedisSlidingWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis.Connection, PermitLimit = RedisWorkloads.PeerPermits, Window = TimeSpan.FromSeconds(1) })).ToArray();
        Report(redis, redis.Connection, "Peer SlidingWindow, 1 limiter", () => Acquire(limiters[..1]));
        Report(redis, redis.Connection, "Peer SlidingWindow, 3 limiters", () => Acquire(limiters));
        foreach (var limiter in limiters)
        {
            limiter.Dispose();
        }
    }

    /// <summary><c>--redis-memory</c>: the bytes of one session's counter of a count limit filled to max, for max 10 and 1,000, and the peer's.</summary>
    public static void Memory()
    {
        using var redis = BenchmarkRedis.Start();
        Console.WriteLine($"{"counter (full)",-34} {"keys",5} {"bytes",9} {"bytes/entry",12}");
        foreach (int max in new[] { 10, 1000 })
        {
            string prefix = $"mem-{Guid.NewGuid():N}";
            using var store = new RedisStateStore(redis.Connection, new RedisStateOptions { KeyPrefix = prefix, Timeout = TimeSpan.FromSeconds(1) });
            using var evaluator = new PolicyEvaluator(
                Policy.Parse($$"""{"version":"1","default":"deny","tools":{"pay":{"rate_limit":{"max":{{max}},"window":3600} } } }"""),
                new PolicyEngineOptions { StateStore = store });
            var call = new ToolCall("pay") { SessionId = "alice" };
            for (int i = 0; i < max; i++)
            {
                Workloads.Expect(Decide(evaluator, call), DecisionCodes.Allowed, "memory probe");
            }

            Workloads.Expect(Decide(evaluator, call), DecisionCodes.RateLimited, "memory probe");
            Print(redis, $"PolicyEngine, max {max}", $"*{prefix}*", max);
        }

        foreach (int max in new[] { 10, 1000 })
        {
            string partition = $"mem-peer-{Guid.NewGuid():N}";
            using var limiter = new RedisSlidingWindowRateLimiter<string>(partition,
                new RedisSlidingWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis.Connection, PermitLimit = max, Window = TimeSpan.FromHours(1) });
            for (int i = 0; i < max; i++)
            {
                using var lease = limiter.AcquireAsync(1).AsTask().GetAwaiter().GetResult();
            }

            Print(redis, $"Peer SlidingWindow, permits {max}", $"*{partition}*", max);
        }
    }

    private static void Print(BenchmarkRedis redis, string name, string pattern, int entries)
    {
        var keys = redis.Server.Keys(pattern: pattern).ToArray();
        long bytes = keys.Sum(key => (long)redis.Connection.GetDatabase().Execute("MEMORY", "USAGE", key, "SAMPLES", "0"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {keys.Length,5} {bytes,9} {(double)bytes / entries,12:F1}"));
    }

    private static void Report(BenchmarkRedis redis, IConnectionMultiplexer sender, string name, Action decide)
    {
        decide(); // loads the script, if any
        var before = redis.CommandsRun();
        long reads = redis.ReadsProcessed();
        long operations = sender.GetCounters().Interactive.OperationCount;
        for (int i = 0; i < Decisions; i++)
        {
            decide();
        }

        // Operations: what the multiplexer sent (no INFO between the two reads), a SELECT it pipelines before an FCALL
        // included. Socket reads: the reads Redis made to take them in; one caller decides one call after another, so a
        // decision's commands sent in one write are one read, one network round trip (less the INFO that reads them).
        long sent = sender.GetCounters().Interactive.OperationCount - operations;
        long socketReads = redis.ReadsProcessed() - reads - 1;
        var after = redis.CommandsRun();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-32} {(double)socketReads / Decisions,12:F2} {(double)sent / Decisions,10:F2} {(double)(after.Scripts - before.Scripts) / Decisions,8:F2} {(double)(after.Commands - before.Commands) / Decisions,18:F2} {(double)(after.ScriptMicroseconds - before.ScriptMicroseconds) / Decisions,14:F1}"));
    }

    private static Decision Decide(PolicyEvaluator evaluator, ToolCall call) => evaluator.EvaluateAsync(call).AsTask().GetAwaiter().GetResult();

    private static void Acquire(RedisSlidingWindowRateLimiter<string>[] limiters)
    {
        foreach (var limiter in limiters)
        {
            using var lease = limiter.AcquireAsync(1).AsTask().GetAwaiter().GetResult();
        }
    }
}
