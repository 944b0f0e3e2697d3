using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace PolicyEngine.Tests.Security;

/// <summary>Small helpers shared by the hostile-input tests (spec/hostile-inputs.md).</summary>
internal static class SecurityFixtures
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Parses argument text keeping duplicates, and allowing far deeper nesting than the engine accepts.</summary>
    public static JsonElement JsonArg(string text) => JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 100_000 }).RootElement;

    public static ToolCall Call(string tool, string? args = null, string? session = null) =>
        new(tool, args is null ? default : JsonArg(args)) { SessionId = session };

    public static PolicyEvaluator Engine(string policy, TimeProvider? clock = null, Action<PolicyEngineOptions>? configure = null)
    {
        var options = new PolicyEngineOptions { TimeProvider = clock ?? new FakeTimeProvider(Epoch) };
        configure?.Invoke(options);
        return new PolicyEvaluator(Policy.Parse(policy), options);
    }

    public static Decision Decide(string policy, ToolCall call)
    {
        using var engine = Engine(policy);
        return engine.Evaluate(call);
    }

    /// <summary>Runs <paramref name="threads"/> workers released together by a barrier; each returns its results.</summary>
    public static List<T> RunTogether<T>(int threads, Func<int, IEnumerable<T>> work)
    {
        using var barrier = new Barrier(threads);
        var results = new List<T>[threads];
        var errors = new List<Exception>();
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            try
            {
                barrier.SignalAndWait();
                results[i] = work(i).ToList();
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.Empty(errors);
        return results.SelectMany(r => r).ToList();
    }
}

/// <summary>A clock whose wall time (a <see cref="FakeTimeProvider"/>) and monotonic timestamp move independently.</summary>
internal sealed class SplitClock : TimeProvider
{
    public FakeTimeProvider Wall { get; } = new(SecurityFixtures.Epoch);

    public long Ticks { get; set; } = 1_000_000_000_000;

    public override DateTimeOffset GetUtcNow() => Wall.GetUtcNow();

    public override long GetTimestamp() => Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
