namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// One benchmark operation: <see cref="Decisions"/> decisions made by a number of callers at once, each its own task
/// (one caller: this thread, sequentially, so that nothing but the decisions allocates). Benchmarks declare
/// <c>OperationsPerInvoke = Decisions</c>, so every figure is per decision.
/// </summary>
internal static class CallerBatch
{
    public const int Decisions = 256;

    /// <summary>Makes the decisions; <paramref name="decide"/> gets the caller's index and returns whether the call was let through.</summary>
    public static ValueTask<int> RunAsync(int callers, Func<int, ValueTask<bool>> decide)
    {
        if (callers == 1)
        {
            return RunCallerAsync(0, Decisions, decide);
        }

        return RunManyAsync(callers, decide);
    }

    private static async ValueTask<int> RunManyAsync(int callers, Func<int, ValueTask<bool>> decide)
    {
        var tasks = new Task<int>[callers];
        for (int c = 0; c < callers; c++)
        {
            int caller = c;
            tasks[c] = Task.Run(() => RunCallerAsync(caller, Decisions / callers, decide).AsTask());
        }

        int allowed = 0;
        foreach (int n in await Task.WhenAll(tasks).ConfigureAwait(false))
        {
            allowed += n;
        }

        return allowed;
    }

    private static async ValueTask<int> RunCallerAsync(int caller, int decisions, Func<int, ValueTask<bool>> decide)
    {
        int allowed = 0;
        for (int i = 0; i < decisions; i++)
        {
            if (await decide(caller).ConfigureAwait(false))
            {
                allowed++;
            }
        }

        return allowed;
    }
}
