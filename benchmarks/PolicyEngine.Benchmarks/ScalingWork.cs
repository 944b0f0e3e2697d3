namespace PolicyEngine.Benchmarks;

/// <summary>The loops that <see cref="ConcurrencyBenchmarks"/> and <see cref="ScalingProbe"/> run on one and on two threads.</summary>
internal static class ScalingWork
{
    private const int ChainBytes = 32 * 1024;
    private const int LineInts = 64 / sizeof(int);

    /// <summary><paramref name="count"/> decisions of <paramref name="call"/>; throws unless every one is allowed.</summary>
    public static int Decide(PolicyEvaluator evaluator, ToolCall call, int count)
    {
        var allowed = 0;
        for (var i = 0; i < count; i++)
        {
            allowed += evaluator.Evaluate(in call).IsAllowed ? 1 : 0;
        }

        if (allowed != count)
        {
            throw new InvalidOperationException($"Only {allowed} of {count} calls were allowed.");
        }

        return allowed;
    }

    /// <summary>Runs <paramref name="work"/>(thread, count) as threads 0 and 1 at once, and sums what they return.</summary>
    public static long OnTwoThreads(int countPerThread, Func<int, int, long> work)
    {
        long first = 0, second = 0;
        Parallel.Invoke(() => first = work(0, countPerThread), () => second = work(1, countPerThread));
        return first + second;
    }

    public static long ReadClock(int count)
    {
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += TimeProvider.System.GetTimestamp();
        }

        return sum;
    }

    // About as long per step as a decision (tens of nanoseconds): a dependent chain the JIT cannot fold.
    public static long Spin(int count)
    {
        ulong x = (ulong)count;
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < 32; j++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }

        return (long)x;
    }

    /// <summary>One int per 64-byte line links the lines of 32 KiB in a random cycle, so every step is a dependent load the prefetcher cannot guess.</summary>
    public static int[] Chain(int seed)
    {
        var chain = new int[ChainBytes / sizeof(int)];
        int lines = chain.Length / LineInts;
        var order = Enumerable.Range(0, lines).ToArray();
        new Random(seed).Shuffle(order);
        for (var i = 0; i < lines; i++)
        {
            chain[order[i] * LineInts] = order[(i + 1) % lines] * LineInts;
        }

        return chain;
    }

    /// <summary><paramref name="count"/> steps of 16 dependent loads each.</summary>
    public static long Chase(int[] chain, int count)
    {
        int at = 0;
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < 16; j++)
            {
                at = chain[at];
            }

            sum += at;
        }

        return sum;
    }
}
