using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using RedisRateLimiting;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// The peer on the same Redis and the same callers as <see cref="RedisBenchmarks.OneLimit"/>: RedisRateLimiting's
/// <c>RedisSlidingWindowRateLimiter</c>, one limiter per session (its partition), 2·10⁹ permits per second.
/// </summary>
[MemoryDiagnoser]
public class RedisPeerBenchmarks
{
    private BenchmarkRedis _redis = null!;
    private RateLimiter[] _limiters = [];
    private Func<int, ValueTask<bool>> _decide = null!;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _redis = BenchmarkRedis.Start();
        string run = Guid.NewGuid().ToString("N");
        _limiters = Workloads.SessionIds(16).Select(session => (RateLimiter)new RedisSlidingWindowRateLimiter<string>(
            $"{run}:{session}",
            new RedisSlidingWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => _redis.Connection,
                PermitLimit = RedisWorkloads.PeerPermits,
                Window = TimeSpan.FromSeconds(1),
            })).ToArray();
        foreach (var limiter in _limiters)
        {
            using var lease = limiter.AcquireAsync(1).AsTask().GetAwaiter().GetResult();
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("The peer refused a permit in setup.");
            }
        }

        _decide = Acquire;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var limiter in _limiters)
        {
            limiter.Dispose();
        }

        _redis.Dispose();
    }

    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> SlidingWindow() => CallerBatch.RunAsync(Callers, _decide);

    private async ValueTask<bool> Acquire(int caller)
    {
        using var lease = await _limiters[caller].AcquireAsync(1).ConfigureAwait(false);
        return lease.IsAcquired;
    }
}
