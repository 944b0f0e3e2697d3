using PolicyEngine.Limits;

namespace PolicyEngine.Tests.Limits;

/// <summary>The counter's own lock (one compare-exchange to take, one write to release) excludes, releases, and survives contention.</summary>
public class CounterLockTests
{
    private static WindowCounter NewCounter()
    {
        var store = new CounterStore(new PolicyEngineOptions());
        return TestSupport.Engine.FirstLimit("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""", store).GetOrCreate("s")!;
    }

    [Fact]
    public void Threads_under_the_lock_never_overlap_and_lose_no_update()
    {
        var counter = NewCounter();
        const int Threads = 4, Rounds = 200_000;
        long plain = 0; // a non-atomic read-modify-write: any overlap loses increments
        int inside = 0, overlaps = 0;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Rounds; i++)
            {
                counter.Enter();
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                plain++;
                Interlocked.Decrement(ref inside);
                counter.Exit();
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(0, overlaps);
        Assert.Equal((long)Threads * Rounds, plain);
    }

    [Fact]
    public void A_waiter_gets_the_lock_once_the_holder_releases_it()
    {
        var counter = NewCounter();
        counter.Enter();
        using var started = new ManualResetEventSlim();
        var entered = 0;
        var waiter = new Thread(() =>
        {
            started.Set();
            counter.Enter();
            Volatile.Write(ref entered, 1);
            counter.Exit();
        });
        waiter.Start();

        Assert.True(started.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)); // the waiter is running and about to ask for the lock
        Assert.False(waiter.Join(TimeSpan.FromMilliseconds(200))); // excluded while held
        Assert.Equal(0, Volatile.Read(ref entered));
        counter.Exit();
        Assert.True(waiter.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, entered);
    }
}
