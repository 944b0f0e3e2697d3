using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// The allocation gate's measure: every <c>[Benchmark]</c> method of a class (found by reflection, so a new one is
/// gated without editing a list) runs after its <c>[GlobalSetup]</c>, and the bytes this thread allocates over
/// many calls are counted exactly with <see cref="GC.GetAllocatedBytesForCurrentThread"/>. BenchmarkDotNet
/// reports bytes per operation rounded, so a leak of a few bytes every thousand calls showed as 0 B/op; here
/// any byte fails. Warm-up runs until a batch allocates nothing or 3 s have passed, so the measured code is the
/// tiered JIT's steady state; code that allocates in its steady state never stops, and then fails. Then up to
/// 20 rounds of 200,000 calls are measured, and one round must allocate nothing.
/// </summary>
internal static class AllocationProbe
{
    private const int WarmupBatch = 10_000;
    private const int MeasuredCalls = 200_000;
    private const int MeasuredRounds = 20;

    /// <summary>Prints one line per method and returns the number of methods that allocated.</summary>
    public static int Run(Type type)
    {
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        int failures = 0;
        foreach (var method in methods)
        {
            long bytes = Measure(type, method);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {method.Name,-28} {bytes} B over {MeasuredCalls:N0} calls"));
            if (bytes != 0)
            {
                failures++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocation probe: {methods.Count} {type.Name} methods, {failures} allocated"));
        return methods.Count == 0 ? 1 : failures;
    }

    private static long Measure(Type type, MethodInfo method)
    {
        object instance = Activator.CreateInstance(type)!;
        Invoke(type, instance, typeof(GlobalSetupAttribute), method.Name);
        try
        {
            // A delegate of the method's own return type: a boxing or reflective call would allocate itself.
            var measure = typeof(AllocationProbe).GetMethod(nameof(WarmAndMeasure), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(method.ReturnType);
            return (long)measure.Invoke(null, [method.CreateDelegate(typeof(Func<>).MakeGenericType(method.ReturnType), instance)])!;
        }
        finally
        {
            Invoke(type, instance, typeof(GlobalCleanupAttribute), method.Name);
        }
    }

    // A counter's ring grows by doubling while its window fills (documented state, bounded at 1,024 entries),
    // so a round may allocate while rings still grow. A steady-state allocation is in every round, so the
    // method passes only if some measured round of 200,000 calls allocates nothing at all.
    private static long WarmAndMeasure<T>(Func<T> call)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3) && Batch(call, WarmupBatch) != 0)
        {
        }

        long bytes = 0;
        for (int round = 0; round < MeasuredRounds; round++)
        {
            bytes = Batch(call, MeasuredCalls);
            if (bytes == 0)
            {
                break;
            }
        }

        return bytes;
    }

    private static long Batch<T>(Func<T> call, int calls)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            _ = call();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Runs the setup or cleanup methods meant for <paramref name="target"/> (or for every method).</summary>
    private static void Invoke(Type type, object instance, Type attribute, string target)
    {
        foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (m.GetCustomAttribute(attribute) is TargetedAttribute t && (t.Targets is null || t.Targets.Length == 0 || t.Targets.Contains(target, StringComparer.Ordinal)))
            {
                m.Invoke(instance, null);
            }
        }
    }
}
