using System.Diagnostics;
using System.Globalization;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// <c>--scaling-probe [rounds]</c>: a diagnostic, not a benchmark. BenchmarkDotNet measures one thread and two
/// threads in separate processes minutes apart, and this host changes what it gives two threads within
/// seconds. So this runs, in one process and round by round, the two-thread decisions of
/// <see cref="ConcurrencyBenchmarks"/> and the shared-nothing probe (<see cref="ScalingWork.Chase"/>), each
/// on one thread then on two, and prints both scalings per round and their correlation over the rounds:
/// whether the decisions scale as well as anything could at that moment.
/// </summary>
internal static class ScalingProbe
{
    private const int Decisions = 4_000_000; // about half a second on one thread
    private const int Steps = 1_000_000; // 16 loads a step: about as long

    public static void Run(int rounds)
    {
        using var evaluator = new PolicyEvaluator(Policy.Parse(Workloads.LimitPolicy(Workloads.AllowPathLimit)));
        var first = new ToolCall(Workloads.LimitedTool) { SessionId = "session-a" };
        var second = new ToolCall(Workloads.LimitedTool) { SessionId = "session-b" };
        int[][] chains = [ScalingWork.Chain(seed: 1), ScalingWork.Chain(seed: 2)];
        ScalingWork.Decide(evaluator, first, Decisions / 4); // warm up, and let tiered compilation finish
        ScalingWork.Decide(evaluator, second, Decisions / 4);
        ScalingWork.Chase(chains[0], Steps / 4);
        Thread.Sleep(500);

        var decisions = new double[rounds];
        var probe = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            double one = Seconds(() => ScalingWork.Decide(evaluator, first, Decisions));
            double two = Seconds(() => ScalingWork.OnTwoThreads(Decisions / 2, (thread, count) => ScalingWork.Decide(evaluator, thread == 0 ? first : second, count)));
            double probeOne = Seconds(() => ScalingWork.Chase(chains[0], Steps));
            double probeTwo = Seconds(() => ScalingWork.OnTwoThreads(Steps / 2, (thread, count) => ScalingWork.Chase(chains[thread], count)));
            decisions[r] = one / two;
            probe[r] = probeOne / probeTwo;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1,3}: one thread {one / Decisions * 1e9,6:F1} ns per decision; two threads: decisions {decisions[r]:F2}x, probe {probe[r]:F2}x"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds: decisions {decisions.Average():F2}x on average, probe {probe.Average():F2}x, correlation {Correlation(decisions, probe):F2}"));
        foreach (var (low, high) in new[] { (0.0, 1.3), (1.3, 1.7), (1.7, double.MaxValue) })
        {
            var inBand = Enumerable.Range(0, rounds).Where(r => probe[r] >= low && probe[r] < high).Select(r => decisions[r]).ToArray();
            if (inBand.Length > 0)
            {
                string band = high == double.MaxValue ? $"probe ≥ {low:F1}x" : $"probe {low:F1}–{high:F1}x";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {band}: {inBand.Length} rounds, decisions {inBand.Average():F2}x (min {inBand.Min():F2}, max {inBand.Max():F2})"));
            }
        }
    }

    private static double Seconds(Action work)
    {
        long start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
