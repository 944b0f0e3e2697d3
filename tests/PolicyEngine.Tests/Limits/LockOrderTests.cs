using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// A call locks its counters in one global order (their ids), whatever order its limits come in: two calls that share
/// counters never wait on each other in a cycle. Found by the mutation run (the sort of the lock order made to skip its
/// first element), which can only show as a deadlock.
/// </summary>
public class LockOrderTests
{
    // Calls to t1 reach the limits of three blocks, X (t1), Y (t*) and Z (*) in that order; calls to t2 reach Y and Z. The
    // counters are made Z, then Y, then X, so by id t1 must lock Z, Y, X and t2 Z, Y: a t1 that took X first and sorted
    // only the rest would be right too, but one that kept Y before Z as t2 does while t1 took Z before Y would deadlock.
    private const string Blocks = """
        {"version":"1","default":"allow","tools":{
          "t1":{"limits":[{"max":100000000,"window":3600,"per":"global"}]},
          "t*":{"limits":[{"max":100000000,"window":3600,"per":"global"}]},
          "*":{"limits":[{"max":100000000,"window":3600,"per":"global"}]}}}
        """;

    [Fact]
    public void Calls_sharing_counters_in_different_limit_orders_never_deadlock()
    {
        using var ev = Engine.For(Blocks);
        var t1 = Engine.Call("t1");
        var t2 = Engine.Call("t2");
        Assert.True(ev.Evaluate(Engine.Call("q")).IsAllowed); // Z
        Assert.True(ev.Evaluate(t2).IsAllowed); // Y
        Assert.True(ev.Evaluate(t1).IsAllowed); // X

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        int denied = 0;
        using var start = new Barrier(2);
        var workers = new[] { t1, t2 }.Select(call => new Thread(() =>
        {
            start.SignalAndWait();
            while (DateTime.UtcNow < until)
            {
                for (int i = 0; i < 100; i++)
                {
                    if (!ev.Evaluate(call).IsAllowed)
                    {
                        Interlocked.Increment(ref denied);
                    }
                }
            }
        }) { IsBackground = true }).ToList(); // a deadlocked worker must not keep the test process alive
        workers.ForEach(w => w.Start());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        Assert.True(workers.TrueForAll(w => w.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero))), "two calls deadlocked on their counters' locks");
        Assert.Equal(0, denied);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
