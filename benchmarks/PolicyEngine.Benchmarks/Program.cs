using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// Runs the suite with BenchmarkDotNet's command line (<c>--filter</c>, <c>--job</c>, <c>--exporters json</c>…),
/// plus <c>--ci</c>: a short in-process job for CI, which gates allocations, not timings; and
/// <c>--scaling-probe [rounds]</c>, the two-thread diagnostic of <see cref="ScalingProbe"/>; and
/// <c>--state-footprint</c> and <c>--flood-probe</c>, the memory and latency figures of <see cref="StateProbes"/>;
/// and <c>--allocation-probe</c>, the exact allocation gate of <see cref="AllocationProbe"/>; and <c>--redis-roundtrips</c>
/// and <c>--redis-memory</c>, the command counts and counter sizes of <see cref="Redis.RedisProbes"/>; and
/// <c>--redis-load</c>, the side-by-side load of <see cref="Redis.RedisLoadProbe"/>.
/// </summary>
public static class Program
{
    private const string CiFlag = "--ci";
    private const string ProbeFlag = "--scaling-probe";

    public static void Main(string[] args)
    {
        if (args.Length > 0 && string.Equals(args[0], ProbeFlag, StringComparison.Ordinal))
        {
            ScalingProbe.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--state-footprint", StringComparison.Ordinal))
        {
            StateProbes.Footprint();
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--flood-probe", StringComparison.Ordinal))
        {
            StateProbes.Flood();
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--redis-roundtrips", StringComparison.Ordinal))
        {
            Redis.RedisProbes.RoundTrips();
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--redis-load", StringComparison.Ordinal))
        {
            Redis.RedisLoadProbe.Run(
                args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
                args.Length > 3 ? args[3] : null);
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--redis-memory", StringComparison.Ordinal))
        {
            Redis.RedisProbes.Memory();
            return;
        }

        if (args.Length > 0 && string.Equals(args[0], "--allocation-probe", StringComparison.Ordinal))
        {
            Environment.Exit(AllocationProbe.Run(typeof(EvaluateBenchmarks)) == 0 ? 0 : 1);
        }

        var ci = args.Contains(CiFlag, StringComparer.Ordinal);
        var rest = args.Where(a => !string.Equals(a, CiFlag, StringComparison.Ordinal)).ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, ci ? CiConfig() : null);
    }

    /// <summary>
    /// One launch, in this process (no generated project to build), 2 warm-up and 5 measured iterations of about
    /// 100 ms: enough for exact allocation counts and rough timings, and the whole suite runs in a few minutes.
    /// </summary>
    private static ManualConfig CiConfig() =>
        ManualConfig.Create(DefaultConfig.Instance).AddJob(
            Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(100))
                .WithId("ci"));
}
