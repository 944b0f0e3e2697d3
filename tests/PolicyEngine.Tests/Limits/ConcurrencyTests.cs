using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>Real threads racing on one counter: the check and the spend are one atomic step across all of a call's limits.</summary>
public class ConcurrencyTests
{
    private static int Race(PolicyEvaluator ev, int threads, int callsPerThread, Func<int, int, ToolCall> call)
    {
        int allowed = 0;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < callsPerThread; i++)
            {
                if (ev.Evaluate(call(t, i)).IsAllowed)
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return allowed;
    }

    [Fact]
    public void Many_threads_on_one_key_get_exactly_the_room_there_is()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1000,"window":"1h"}]}}""");
        Assert.Equal(1000, Race(ev, 8, 500, (_, _) => Engine.Call("t", session: "s")));
    }

    [Fact]
    public void One_unit_left_and_a_thousand_callers_lets_exactly_one_through()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1,"window":"1h"}]}}""");
        Assert.Equal(1, Race(ev, 8, 125, (_, _) => Engine.Call("t", session: "s")));
    }

    [Fact]
    public void Cost_limits_spend_exactly_the_budget()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1000,"window":"1h","cost":"args.c"}]}}""");
        var call = Engine.Call("t", """{"c":3}""", "s");
        Assert.Equal(333, Race(ev, 8, 200, (_, _) => call));
    }

    [Fact]
    public void Overlapping_limits_are_all_or_nothing()
    {
        // Tool a may take 200 of the session's 300. Denied calls to a must spend nothing on the shared limit,
        // allowed ones must spend on both: afterwards exactly 100 calls to b still fit.
        using var ev = Engine.For("""
            {"version":"1","default":"allow","all_tools":{"limits":[{"max":300,"window":"1h"}]},
             "tools":{"a":{"limits":[{"max":200,"window":"1h"}]}}}
            """);
        Assert.Equal(200, Race(ev, 8, 250, (_, _) => Engine.Call("a", session: "s")));
        Assert.Equal(100, Race(ev, 4, 100, (_, _) => Engine.Call("b", session: "s")));
    }

    [Fact]
    public void Distinct_sessions_do_not_share_room()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":10,"window":"1h"}]}}""");
        Assert.Equal(8 * 10, Race(ev, 8, 50, (t, _) => Engine.Call("t", session: "s" + t)));
    }

    [Theory]
    [InlineData("""[{"max":100000,"window":"1h"}]""", "{}", 100_000)] // the count path: one lock, integer counts
    [InlineData("""[{"max":1000,"window":"1h","cost":"args.c"}]""", """{"c":0.01}""", 100_000)] // the cost path: decimal sums
    [InlineData("""[{"max":100000,"window":"1h"},{"max":100000,"window":"1h","per":"global"}]""", "{}", 100_000)] // several limits: locks in order
    public void Under_contention_no_spend_is_lost_so_exactly_max_is_let_through(string limits, string arguments, int expected)
    {
        // The clock stands still, so every spend lands in one entry: a read-modify-write without the counter's lock
        // would lose spends (the mutation run removed each lock unnoticed) and let more than max through. Twice the
        // room is asked for, by 4 threads hammering one counter, long enough to overlap even on a loaded 2-core machine.
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":""" + limits + "}}");
        var call = Engine.Call("t", arguments, "s");
        Assert.Equal(expected, Race(ev, 4, expected / 2, (_, _) => call));
    }
}
