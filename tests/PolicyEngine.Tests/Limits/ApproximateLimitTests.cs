using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>Limits past what a counter holds exactly (max over 1,000, or over 1,024 spends in a window) may over-count, never under-count.</summary>
public class ApproximateLimitTests
{
    [Fact]
    public void No_window_ever_holds_more_than_max_count() =>
        Prop.ForAll(Gen.Choose(1001, 3000).ToArbitrary(), Gen.ListOf(Gen.Choose(0, 3)).ToArbitrary(), (max, gaps) =>
        {
            var allowed = Run("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":MAX,"window":1}]}}""".Replace("MAX", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), gaps, 4000, _ => "{}");
            return MaxInAnyWindow(allowed, TimeSpan.FromSeconds(1).Ticks, a => 1m) <= max;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));

    [Fact]
    public void No_window_ever_holds_more_than_max_spend()
    {
        var rnd = new Random(7);
        var allowed = Run("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":500,"window":1,"cost":"args.c"}]}}""",
            Enumerable.Range(0, 5000).Select(_ => rnd.Next(0, 2)).ToList(), 5000, i => "{\"c\":" + ((i % 7) * 0.25m).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
        Assert.True(MaxInAnyWindow(allowed, TimeSpan.FromSeconds(1).Ticks, a => a.Cost) <= 500m);
        Assert.True(allowed.Count > 1500); // and it still lets most of the budget through
    }

    // The lower bound. Folding keeps a spend in the window at most 1/64 of a window too long, so a call is
    // denied only when the last 65/64 of a window already admitted max. An engine that denies everything,
    // or that lets a fold run on past 1/64 of a window, fails this.
    [Theory]
    [InlineData(1001, 1)]
    [InlineData(2000, 3)]
    [InlineData(3000, 4)]
    public void A_call_is_denied_only_when_the_window_and_one_fold_already_hold_max(int max, int callsPerMs)
    {
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":MAX,"window":1}]}}""".Replace("MAX", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), clock);
        long stretched = TimeSpan.FromSeconds(1).Ticks + (TimeSpan.FromSeconds(1).Ticks / 64);
        var allowed = new Queue<long>();
        int denials = 0;
        for (int i = 0; i < callsPerMs * 4000; i++)
        {
            if (i % callsPerMs == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            long now = clock.GetUtcNow().Ticks;
            while (allowed.Count > 0 && allowed.Peek() <= now - stretched)
            {
                allowed.Dequeue();
            }

            if (ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed)
            {
                allowed.Enqueue(now);
            }
            else
            {
                denials++;
                Assert.True(allowed.Count >= max, $"denied at {now} with only {allowed.Count} of {max} allowed in the stretched window");
            }
        }

        Assert.True(denials > 0); // the demand really saturated the limit
    }

    [Fact]
    public void Spends_more_than_a_fold_apart_leave_the_window_on_their_own_time()
    {
        // max 1,001 over 64 s folds spends within 1 s. One call at 0 s and 1,000 at 2 s are two entries, so
        // the first leaves the window at 64 s and frees exactly one call, while the 1,000 stay until 66 s.
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1001,"window":64}]}}""", clock);
        Assert.True(ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(2));
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
        }

        Assert.False(ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(62)); // 64 s
        Assert.True(ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
        Assert.False(ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
    }

    [Fact]
    public void Count_limits_up_to_1000_stay_exact()
    {
        // Two calls per millisecond for three seconds against 1,000 per second: every decision must be the exact one.
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1000,"window":1}]}}""", clock);
        var allowed = new Queue<long>();
        long window = TimeSpan.FromSeconds(1).Ticks;
        for (int i = 0; i < 6000; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(i % 2));
            long now = clock.GetUtcNow().Ticks;
            while (allowed.Count > 0 && allowed.Peek() <= now - window)
            {
                allowed.Dequeue();
            }

            bool exact = allowed.Count < 1000;
            Assert.Equal(exact, ev.Evaluate(Engine.Call("t", "{}", "s")).IsAllowed);
            if (exact)
            {
                allowed.Enqueue(now);
            }
        }
    }

    private static List<(long T, decimal Cost)> Run(string policy, List<int> gapsMs, int calls, Func<int, string> args)
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(policy, clock);
        var allowed = new List<(long, decimal)>();
        for (int i = 0; i < calls; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(gapsMs.Count == 0 ? 0 : gapsMs[i % gapsMs.Count]));
            string a = args(i);
            if (ev.Evaluate(Engine.Call("t", a, "s")).IsAllowed)
            {
                allowed.Add((clock.GetUtcNow().Ticks, Engine.Json(a).TryGetProperty("c", out var c) ? c.GetDecimal() : 1m));
            }
        }

        return allowed;
    }

    private static decimal MaxInAnyWindow(List<(long T, decimal Cost)> allowed, long window, Func<(long T, decimal Cost), decimal> amount)
    {
        decimal best = 0, sum = 0;
        int start = 0;
        for (int end = 0; end < allowed.Count; end++)
        {
            sum += amount(allowed[end]);
            while (allowed[start].T <= allowed[end].T - window)
            {
                sum -= amount(allowed[start++]);
            }

            best = Math.Max(best, sum);
        }

        return best;
    }
}
