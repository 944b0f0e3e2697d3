using System.Collections.Concurrent;
using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Tests.Replicas;

/// <summary>
/// Several evaluators of one policy, as replicas of a service would be: each with its own connection and
/// <see cref="RedisStateStore"/>, all on the same server and key prefix.
/// </summary>
internal sealed class ReplicaSet : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private ReplicaSet()
    {
    }

    public IReadOnlyList<PolicyEvaluator> Evaluators { get; private set; } = [];

    public PolicyEvaluator this[int index] => Evaluators[index];

    /// <summary>Starts <paramref name="count"/> replicas on the shared Redis, under a key prefix of their own.</summary>
    /// <param name="configure">Adjusts each replica's store options (the prefix and a generous timeout are set first).</param>
    /// <param name="engine">Adjusts each replica's engine options (the store is set after).</param>
    public static ReplicaSet Start(RedisFixture redis, string policyJson, int count = 3,
        Action<RedisStateOptions>? configure = null, Action<PolicyEngineOptions>? engine = null)
    {
        redis.Require();
        string prefix = RedisFixture.NewPrefix(); // the replicas share it, and no other test does
        var set = new ReplicaSet();
        var evaluators = new List<PolicyEvaluator>();
        var policy = Policy.Parse(policyJson);
        for (int i = 0; i < count; i++)
        {
            var connection = ConnectionMultiplexer.Connect(redis.EndPoint!);
            set._owned.Add(connection);

            // Exactness under load is checked here, not latency: a shared 2-core machine may stall a call past 100 ms,
            // and a call that times out after the server spent for it would look like a lost spend.
            var options = new RedisStateOptions { KeyPrefix = prefix, Timeout = TimeSpan.FromSeconds(5) };
            configure?.Invoke(options);
            var store = new RedisStateStore(connection, options);
            set._owned.Add(store);
            var engineOptions = new PolicyEngineOptions();
            engine?.Invoke(engineOptions);
            engineOptions.StateStore = store;
            var evaluator = new PolicyEvaluator(policy, engineOptions);
            set._owned.Add(evaluator);
            evaluators.Add(evaluator);
        }

        set.Evaluators = evaluators;
        return set;
    }

    /// <summary>
    /// Runs <paramref name="callersPerReplica"/> callers on every replica, all released at the same moment, each making
    /// <paramref name="callsPerCaller"/> calls through <see cref="PolicyEvaluator.EvaluateAsync"/>, and tallies the codes.
    /// </summary>
    public async Task<Tally> RunTogether(int callersPerReplica, int callsPerCaller, Func<int, ToolCall> call)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var decisions = new ConcurrentBag<Decision>();
        var callers = new List<Task>();
        int caller = 0;
        foreach (var evaluator in Evaluators)
        {
            for (int i = 0; i < callersPerReplica; i++, caller++)
            {
                int id = caller;
                callers.Add(Task.Run(async () =>
                {
                    await release.Task;
                    for (int k = 0; k < callsPerCaller; k++)
                    {
                        decisions.Add(await evaluator.EvaluateAsync(call(id)));
                    }
                }));
            }
        }

        release.SetResult();
        await Task.WhenAll(callers);
        return new Tally(decisions);
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }
}

/// <summary>How many decisions got each code.</summary>
internal sealed class Tally(IEnumerable<Decision> decisions)
{
    public IReadOnlyDictionary<string, int> Codes { get; } =
        decisions.GroupBy(d => d.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public int this[string code] => Codes.TryGetValue(code, out int n) ? n : 0;

    public int Total => Codes.Values.Sum();

    public override string ToString() => string.Join(", ", Codes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
