using BenchmarkDotNet.Attributes;
using PolicyEngine.Redis;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// Decisions with limits kept in Redis (<see cref="RedisStateStore"/>, server clock, on loopback), by 1 and 16
/// concurrent callers, each caller with its own session. Figures are per decision (<see cref="CallerBatch"/>).
/// <c>OneLimit</c> and <c>ThreeLimits</c> take one round trip each; <c>Exhausted</c> is answered by the local denied
/// cache; <c>Stateless</c> is a deny decided by a rule, which never reaches the store.
/// </summary>
[MemoryDiagnoser]
public class RedisBenchmarks
{
    private BenchmarkRedis _redis = null!;
    private RedisStateStore _store = null!;
    private PolicyEvaluator _evaluator = null!;
    private PolicyEvaluator _inMemory = null!;
    private ToolCall[] _one = [], _three = [], _exhausted = [], _stateless = [];
    private Func<int, ValueTask<bool>> _decideOne = null!, _decideThree = null!, _decideExhausted = null!, _decideStateless = null!, _decideInMemory = null!;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _redis = BenchmarkRedis.Start();
        // A connection of the store's own, as UseRedis("host:port") registers (the peer has the benchmark's multiplexer).
        _store = RedisStateStore.Connect(new RedisStateOptions { Configuration = _redis.Configuration, KeyPrefix = $"bench-{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(1) });
        _evaluator = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy), new PolicyEngineOptions { StateStore = _store });
        var sessions = Workloads.SessionIds(16);
        _one = sessions.Select(s => new ToolCall(RedisWorkloads.OneLimitTool) { SessionId = s }).ToArray();
        _three = sessions.Select(s => new ToolCall(RedisWorkloads.ThreeLimitsTool, RedisWorkloads.Amount) { SessionId = s }).ToArray();
        _exhausted = sessions.Select(s => new ToolCall(RedisWorkloads.ExhaustedTool) { SessionId = s }).ToArray();
        _stateless = sessions.Select(s => new ToolCall(RedisWorkloads.DeniedTool) { SessionId = s }).ToArray();
        foreach (var call in _one)
        {
            Workloads.Expect(Decide(call), DecisionCodes.Allowed, nameof(OneLimit));
        }

        foreach (var call in _three)
        {
            Workloads.Expect(Decide(call), DecisionCodes.Allowed, nameof(ThreeLimits));
        }

        foreach (var call in _exhausted)
        {
            Workloads.Expect(Decide(call), DecisionCodes.Allowed, nameof(Exhausted)); // spends the one call the hour allows
            Workloads.Expect(Decide(call), DecisionCodes.RateLimited, nameof(Exhausted)); // Redis says so; now remembered locally
        }

        Workloads.Expect(Decide(_stateless[0]), DecisionCodes.Denied, nameof(Stateless));
        _inMemory = new PolicyEvaluator(Policy.Parse(RedisWorkloads.Policy));
        Workloads.Expect(_inMemory.Evaluate(_stateless[0]), DecisionCodes.Denied, nameof(StatelessInMemory));
        _decideOne = c => Allowed(_evaluator.EvaluateAsync(_one[c]));
        _decideThree = c => Allowed(_evaluator.EvaluateAsync(_three[c]));
        _decideExhausted = c => Allowed(_evaluator.EvaluateAsync(_exhausted[c]));
        _decideStateless = c => Allowed(_evaluator.EvaluateAsync(_stateless[c]));
        _decideInMemory = c => Allowed(_inMemory.EvaluateAsync(_stateless[c]));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _evaluator.Dispose();
        _inMemory.Dispose();
        _store.Dispose();
        _redis.Dispose();
    }

    /// <summary>One session-scoped count limit: one round trip.</summary>
    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> OneLimit() => CallerBatch.RunAsync(Callers, _decideOne);

    /// <summary>A count limit, a cost limit and a global count limit on one call: still one round trip.</summary>
    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> ThreeLimits() => CallerBatch.RunAsync(Callers, _decideThree);

    /// <summary>A limit that Redis said is full for the next hour: denied from the local cache, no round trip.</summary>
    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> Exhausted() => CallerBatch.RunAsync(Callers, _decideExhausted);

    /// <summary>A deny by a rule (<c>action: deny</c>): decided before the state stage, never touches Redis.</summary>
    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> Stateless() => CallerBatch.RunAsync(Callers, _decideStateless);

    /// <summary>The same deny by an evaluator without a store: what <see cref="Stateless"/> must equal.</summary>
    [Benchmark(OperationsPerInvoke = CallerBatch.Decisions)]
    public ValueTask<int> StatelessInMemory() => CallerBatch.RunAsync(Callers, _decideInMemory);

    private Decision Decide(ToolCall call) => _evaluator.EvaluateAsync(call).AsTask().GetAwaiter().GetResult();

    internal static ValueTask<bool> Allowed(ValueTask<Decision> pending) =>
        pending.IsCompletedSuccessfully ? new(pending.Result.IsAllowed) : AwaitAllowed(pending);

    private static async ValueTask<bool> AwaitAllowed(ValueTask<Decision> pending) => (await pending.ConfigureAwait(false)).IsAllowed;
}
