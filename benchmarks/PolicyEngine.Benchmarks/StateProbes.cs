using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// Two measurements BenchmarkDotNet cannot take, run from this program (see <see cref="Program"/>):
/// <list type="bullet">
/// <item><c>--state-footprint</c>: managed bytes retained per tracked counter and per pending approval, with
/// small and with 1 MB client values (a forced full collection before and after N new entries; the calls'
/// own arguments are garbage by then, so only what the engine keeps is counted).</item>
/// <item><c>--flood-probe</c>: the latency distribution of <c>Evaluate</c> (p50, p99, p99.9, max) while
/// 1,000,000 new sessions arrive at <c>MaxTrackedLimitKeys</c> = 100,000, on a virtual clock that moves 1 ms
/// a call, so windows pass, counters go idle and the cap must be swept during the flood.</item>
/// </list>
/// Only public API is used, so the same probe runs against an older build for a before/after pair.
/// </summary>
internal static class StateProbes
{
    private const int Entries = 300;

    public static void Footprint()
    {
        Console.WriteLine("| what | value size | bytes retained per entry |");
        Console.WriteLine("| --- | --- | ---: |");
        foreach (var (label, size) in new[] { ("16 chars", 16), ("1 MB", 1_000_000) })
        {
            Row("counter keyed by `per: args.memo`", label, PerValueCounters(size));
            Row("counter keyed by session id", label, SessionCounters(size));
            Row("pending approval (arguments)", label, PendingApprovals(size));
            Row("pending approval (session id)", label, PendingBySession(size));
        }
    }

    private static void Row(string what, string size, double bytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {size} | {bytes:F0} |"));

    private static double PerValueCounters(int size)
    {
        using var evaluator = Evaluator("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.memo"}]}}}""");
        return Retained(evaluator, i => new ToolCall("t", Arguments(Value(i, size))) { SessionId = "s" });
    }

    private static double SessionCounters(int size)
    {
        using var evaluator = Evaluator("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h"}]}}}""");
        return Retained(evaluator, i => new ToolCall("t") { SessionId = Value(i, size) });
    }

    private static double PendingApprovals(int size)
    {
        using var evaluator = Evaluator("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        return Retained(evaluator, i => new ToolCall("t", Arguments(Value(i, size))) { SessionId = "s" + i.ToString(CultureInfo.InvariantCulture) });
    }

    private static double PendingBySession(int size)
    {
        using var evaluator = Evaluator("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        return Retained(evaluator, i => new ToolCall("t", Arguments("m")) { SessionId = Value(i, size) });
    }

    private static PolicyEvaluator Evaluator(string policy) =>
        new(Policy.Parse(policy), new PolicyEngineOptions { MaxTrackedLimitKeys = 1_000_000, MaxPendingApprovals = 1_000_000 });

    private static string Value(int i, int size)
    {
        var prefix = i.ToString("D6", CultureInfo.InvariantCulture);
        return size <= prefix.Length ? prefix : prefix + new string('v', size - prefix.Length);
    }

    private static JsonElement Arguments(string memo) => JsonElement.Parse("{\"memo\":\"" + memo + "\"}");

    /// <summary>Bytes the evaluator holds per entry after <see cref="Entries"/> calls that each make one new entry.</summary>
    private static double Retained(PolicyEvaluator evaluator, Func<int, ToolCall> call)
    {
        Decide(evaluator, call, 0, 10); // first-use objects (outcomes, tables) are not per entry
        long before = Settled();
        Decide(evaluator, call, 10, Entries);
        long after = Settled();
        GC.KeepAlive(evaluator);
        return (after - before) / (double)Entries;
    }

    private static void Decide(PolicyEvaluator evaluator, Func<int, ToolCall> call, int from, int count)
    {
        for (int i = from; i < from + count; i++)
        {
            var c = call(i);
            var decision = evaluator.Evaluate(in c);
            if (decision.Code is not (DecisionCodes.Allowed or DecisionCodes.ApprovalRequired))
            {
                throw new InvalidOperationException("Unexpected decision " + decision.Code);
            }
        }
    }

    private static long Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static void Flood()
    {
        // Windows pass during the flood: counters go idle and the cap is swept as the flood goes on.
        var stepped = new SteppedClock();
        Flood("virtual clock +1 ms a call, 60 s window", stepped, "60", () => stepped.Step(TimeSpan.TicksPerMillisecond));

        // Nothing goes idle: every call at the cap looks for room and finds none (the real clock, a 1 h window).
        Flood("system clock, 1 h window", TimeProvider.System, "\"1h\"", static () => { });

        ApprovalFlood();
    }

    /// <summary>Requests for approval from 200,000 new sessions against <c>MaxPendingApprovals</c> = 10,000 full of live requests.</summary>
    private static void ApprovalFlood()
    {
        const int cap = 10_000;
        const int flood = 200_000;
        using var evaluator = new PolicyEvaluator(
            Policy.Parse("""{"version":"1","default":"allow","approval_ttl":"1h","tools":{"t":{"action":"require_approval"}}}"""),
            new PolicyEngineOptions { MaxPendingApprovals = cap });
        var arguments = JsonElement.Parse("""{"amount":5}""");
        for (int i = 0; i < cap; i++)
        {
            evaluator.Evaluate(new ToolCall("t", arguments) { SessionId = "live" + i.ToString(CultureInfo.InvariantCulture) });
        }

        var ticks = new long[flood];
        for (int i = 0; i < flood; i++)
        {
            var call = new ToolCall("t", arguments) { SessionId = "new" + i.ToString(CultureInfo.InvariantCulture) };
            long start = Stopwatch.GetTimestamp();
            evaluator.Evaluate(in call);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Print($"approval requests from {flood:N0} new sessions at MaxPendingApprovals {cap:N0} (all live)", ticks);
    }

    private static void Print(string label, long[] ticks)
    {
        Array.Sort(ticks);
        double Micro(double q) => ticks[Math.Min(ticks.Length - 1, (int)(q * ticks.Length))] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(label);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Evaluate latency: p50 {Micro(0.5):F2} µs, p99 {Micro(0.99):F2} µs, p99.9 {Micro(0.999):F2} µs, p99.99 {Micro(0.9999):F2} µs, max {ticks[^1] * 1e6 / Stopwatch.Frequency:F0} µs"));
    }

    private static void Flood(string label, TimeProvider clock, string window, Action step)
    {
        const int cap = 100_000;
        const int flood = 1_000_000;
        using var evaluator = new PolicyEvaluator(
            Policy.Parse("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":WINDOW}]}}""".Replace("WINDOW", window, StringComparison.Ordinal)),
            new PolicyEngineOptions { TimeProvider = clock, MaxTrackedLimitKeys = cap });
        for (int i = 0; i < cap; i++)
        {
            evaluator.Evaluate(new ToolCall("t") { SessionId = "live" + i.ToString(CultureInfo.InvariantCulture) });
        }

        var sessions = Enumerable.Range(0, flood).Select(i => "new" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var ticks = new long[flood];
        int allowed = 0, refused = 0;
        for (int i = 0; i < flood; i++)
        {
            step();
            var call = new ToolCall("t") { SessionId = sessions[i] };
            long start = Stopwatch.GetTimestamp();
            var decision = evaluator.Evaluate(in call);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            if (decision.IsAllowed)
            {
                allowed++;
            }
            else if (decision.Code == DecisionCodes.CapacityExceeded)
            {
                refused++;
            }
        }

        Print(string.Create(CultureInfo.InvariantCulture,
            $"flood of {flood:N0} new sessions at a cap of {cap:N0} ({label}): allowed {allowed:N0}, capacity_exceeded {refused:N0}, tracked at the end {evaluator.TrackedLimitKeys:N0}"), ticks);
    }

    /// <summary>A monotonic virtual clock moved by the probe.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _ticks);

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + TimeSpan.FromTicks(GetTimestamp());

        public void Step(long ticks) => Interlocked.Add(ref _ticks, ticks);
    }
}
