using PolicyEngine.Limits;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// Shows a counter's lock held or free with a dedicated thread: one that must wait stays blocked while the test holds
/// the lock (a correct counter never lets it through, so the check cannot flake), then finishes once released.
/// </summary>
internal static class LockProbe
{
    public static Thread Start(Action action)
    {
        var thread = new Thread(() => action()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread while the counter's lock is held: it must wait for it.</summary>
    public static void RunWhileLocked(WindowCounter counter, Action action)
    {
        counter.Enter();
        var thread = Start(action);
        bool finished = thread.Join(TimeSpan.FromMilliseconds(200));
        counter.Exit();
        Assert.False(finished, "went ahead without the counter's lock");
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "still blocked after the lock was released");
    }

    public static void AssertLockFree(WindowCounter counter)
    {
        var thread = Start(() =>
        {
            counter.Enter();
            counter.Exit();
        });
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "the counter's lock was left held");
    }
}
