namespace PolicyEngine.Tests.Limits;

/// <summary><see cref="PolicyEvaluator.Refund(in Decision)"/>: an allowed call's spend given back, once, exactly.</summary>
public class RefundTests
{
    internal static string Doc(string limits, string extra = "") =>
        """{"version":"1","default":"allow",EXTRA"tools":{"t":{"limits":[LIMITS]}}}""".Replace("LIMITS", limits, StringComparison.Ordinal).Replace("EXTRA", extra, StringComparison.Ordinal);

    internal static PolicyEvaluator Engine(string policy, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null, RefundScope scope = RefundScope.CostLimits) =>
        TestSupport.Engine.For(policy, clock, o => o.Refunds = scope);

    internal static ToolCall Pay(decimal n, string session = "s") => TestSupport.Engine.Call("t", "{\"n\":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", session);

    [Fact]
    public void A_refund_gives_the_budget_back_once_whichever_copy_is_passed()
    {
        using var ev = Engine(Doc("""{"max":100,"window":"1d","cost":"args.n"}"""));
        var paid = ev.Evaluate(Pay(60));
        var copy = paid;
        Assert.True(paid.IsRefundable);
        Assert.False(ev.Evaluate(Pay(50)).IsAllowed);

        Assert.True(ev.Refund(in paid));
        Assert.False(ev.Refund(in paid));
        Assert.False(ev.Refund(in copy));
        Assert.False(copy.IsRefundable);
        Assert.True(ev.Evaluate(Pay(100)).IsAllowed); // all 60 came back, and no more
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Theory]
    [InlineData(2, 1)] // the newest: the middle one's 10 stays, and leaves at 61 s
    [InlineData(1, 2)] // the middle one, past the first entry and with one after it: the newest's 10 stays, and leaves at 62 s
    public void A_refund_comes_out_of_the_one_entry_that_holds_the_spend(int refunded, int retryAfterSeconds)
    {
        // Three spends of 10 a second apart, three entries (an exact limit); one is given back. Once the first has left, the
        // window holds the other's 10 only: taking the refund from another entry (older or newer), or from more than one,
        // changes when room frees.
        var clock = TestSupport.Engine.Clock();
        using var ev = Engine(Doc("""{"max":30,"window":60,"cost":"args.n"}"""), clock);
        var spends = new Decision[3];
        for (int i = 0; i < spends.Length; i++)
        {
            spends[i] = ev.Evaluate(Pay(10));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(ev.Refund(in spends[refunded]));
        clock.Advance(TimeSpan.FromSeconds(57)); // 60 s: the first spend has left
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), ev.Evaluate(Pay(21)).RetryAfter);
        Assert.True(ev.Evaluate(Pay(20)).IsAllowed);
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Fact]
    public void Denied_calls_and_calls_that_spent_nothing_have_nothing_to_refund()
    {
        using var ev = Engine(Doc("""{"max":10,"window":60,"cost":"args.n"}"""));
        Assert.True(ev.Evaluate(Pay(10)).IsAllowed);
        var denied = ev.Evaluate(Pay(1));
        Assert.False(denied.IsAllowed);
        Assert.False(denied.IsRefundable);
        Assert.False(ev.Refund(in denied));
        Assert.False(ev.Refund(default));
        Assert.False(ev.Evaluate(Pay(0)).IsRefundable);
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed); // nothing was given back
    }

    [Theory]
    [InlineData(RefundScope.None, false, false)]
    [InlineData(RefundScope.CostLimits, true, false)]
    [InlineData(RefundScope.AllLimits, true, true)]
    public void The_scope_says_which_limits_are_refunded(RefundScope scope, bool costBack, bool countBack)
    {
        using var ev = Engine(Doc("""{"max":1,"window":60},{"max":5,"window":60,"cost":"args.n"}"""), scope: scope);
        var d = ev.Evaluate(Pay(5));
        Assert.True(d.IsAllowed);
        Assert.Equal(costBack, ev.Refund(in d));

        // The count limit is full unless refunded; the budget has 5 again only if refunded.
        Assert.Equal(countBack, ev.Evaluate(Pay(0)).IsAllowed);
        using var budgetOnly = Engine(Doc("""{"max":5,"window":60,"cost":"args.n"}"""), scope: scope);
        var spent = budgetOnly.Evaluate(Pay(5));
        budgetOnly.Refund(in spent);
        Assert.Equal(costBack, budgetOnly.Evaluate(Pay(5)).IsAllowed);
    }

    [Fact]
    public void A_remembered_denial_does_not_outlive_the_room_a_refund_frees()
    {
        using var ev = Engine(Doc("""{"max":1,"window":60},{"max":5,"window":60,"cost":"args.n","per":"global"}"""), scope: RefundScope.AllLimits);
        using var one = Engine(Doc("""{"max":1,"window":60}"""), scope: RefundScope.AllLimits);
        foreach (var (engine, cost) in new[] { (ev, 5m), (one, 1m) })
        {
            var d = engine.Evaluate(Pay(cost));
            Assert.False(engine.Evaluate(Pay(cost)).IsAllowed); // the counter now remembers a denial of this cost
            Assert.True(engine.Refund(in d));
            Assert.True(engine.Evaluate(Pay(cost)).IsAllowed);
        }
    }

    [Fact]
    public void A_refund_removes_exactly_that_calls_entry_so_waits_stay_exact()
    {
        var clock = TestSupport.Engine.Clock();
        using var ev = Engine(Doc("""{"max":100,"window":60,"cost":"args.n"}"""), clock);
        Assert.True(ev.Evaluate(Pay(60)).IsAllowed); // t = 0
        clock.Advance(TimeSpan.FromSeconds(10));
        var second = ev.Evaluate(Pay(40)); // t = 10
        Assert.True(ev.Refund(in second));

        clock.Advance(TimeSpan.FromSeconds(10)); // t = 20: the window holds the 60 of t = 0 only
        Assert.Equal(TimeSpan.FromSeconds(40), ev.Evaluate(Pay(41)).RetryAfter);
        Assert.True(ev.Evaluate(Pay(40)).IsAllowed);
    }

    [Fact]
    public void A_refund_after_the_spend_left_the_window_never_takes_a_later_spend()
    {
        var clock = TestSupport.Engine.Clock();
        using var ev = Engine(Doc("""{"max":1,"window":60}"""), clock, RefundScope.AllLimits);
        var old = ev.Evaluate(Pay(1));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(ev.Evaluate(Pay(1)).IsAllowed); // the old spend has left; this one fills the window

        Assert.True(ev.Refund(in old)); // claimed, but there is nothing left of it to give back
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Fact]
    public void A_refund_in_a_calendar_unit_frees_room_and_one_after_it_touches_nothing()
    {
        var clock = TestSupport.Engine.Clock(); // 00:00:00 UTC
        using var ev = Engine(Doc("""{"max":10,"window":"minute","cost":"args.n"}"""), clock);
        var first = ev.Evaluate(Pay(10));
        Assert.True(ev.Refund(in first));
        var second = ev.Evaluate(Pay(10));
        Assert.True(second.IsAllowed);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(ev.Evaluate(Pay(10)).IsAllowed);
        Assert.True(ev.Refund(in second)); // the last minute's spend: gone already, the new minute keeps its 10
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Fact]
    public void A_folded_entry_of_an_approximated_limit_gives_back_exactly_the_amount()
    {
        // max > 1,000 folds spends close in time into one entry; the refund takes only its own amount out of it.
        using var ev = Engine(Doc("""{"max":2000,"window":60,"cost":"args.n"}"""));
        var a = ev.Evaluate(Pay(700));
        Assert.True(ev.Evaluate(Pay(1300)).IsAllowed);
        Assert.True(ev.Refund(in a));
        Assert.True(ev.Evaluate(Pay(700)).IsAllowed);
        Assert.False(ev.Evaluate(Pay(0.5m)).IsAllowed);
    }

    [Fact]
    public void Every_limit_the_call_spent_on_gets_its_spend_back_and_only_that_sessions_counter()
    {
        using var ev = Engine(Doc("""{"max":10,"window":60,"cost":"args.n"},{"max":15,"window":60,"cost":"args.n","per":"global"}"""));
        var a = ev.Evaluate(Pay(10, "a"));
        Assert.True(ev.Evaluate(Pay(5, "b")).IsAllowed);
        Assert.True(ev.Refund(in a));

        Assert.False(ev.Evaluate(Pay(6, "b")).IsAllowed); // b's own 5 are still spent
        Assert.True(ev.Evaluate(Pay(10, "a")).IsAllowed); // a's session and the global both had 10 back
    }

    [Fact]
    public void A_refund_never_restores_a_spent_approval()
    {
        using var ev = Engine("""
            {"version":"1","default":"allow","tools":{"t":{"action":"require_approval","limits":[{"max":100,"window":60,"cost":"args.n"}]}}}
            """);
        var asked = ev.Evaluate(Pay(30));
        Assert.False(asked.IsRefundable);
        Assert.True(ev.Approve(asked.ApprovalId!));
        var ran = ev.Evaluate(Pay(30));
        Assert.True(ran.IsAllowed);

        Assert.True(ev.Refund(in ran));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(Pay(30)).Code);
    }

    [Fact]
    public void Shadow_mode_keeps_the_token_of_a_call_that_spent()
    {
        using var ev = Engine(Doc("""{"max":10,"window":60,"cost":"args.n"}""", "\"mode\":\"shadow\","));
        var d = ev.Evaluate(Pay(10));
        Assert.Equal(DecisionCodes.Shadow, d.Code);
        Assert.True(ev.Refund(in d));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Pay(10)).Shadowed!.Code);
    }

    [Theory]
    [InlineData("""{"max":50,"window":60,"cost":"args.n"}""")]
    [InlineData("""{"max":50,"window":"hour","cost":"args.n"}""")]
    public void A_refund_survives_a_reload_that_keeps_the_limit_and_never_reaches_a_counter_made_after_it_was_dropped(string kept)
    {
        using var ev = Engine(Doc(kept));
        var d = ev.Evaluate(Pay(50));
        ev.Reload(Policy.Parse(Doc("""{"max":1,"window":5},""" + kept.Replace("50", "60", StringComparison.Ordinal))));
        Assert.True(ev.Refund(in d));
        Assert.True(ev.Evaluate(Pay(60)).IsAllowed); // the 50 came back under the new max of 60

        var dropped = ev.Evaluate(Pay(0, "other"));
        var old = ev.Evaluate(Pay(50, "x"));
        Assert.True(old.IsRefundable);
        ev.Reload(Policy.Parse("""{"version":"1","default":"allow"}"""));
        ev.Reload(Policy.Parse(Doc(kept))); // back, but fresh: the dropped limit's counters are gone
        Assert.True(ev.Evaluate(Pay(50, "x")).IsAllowed);
        Assert.True(ev.Refund(in old)); // claimed, yet the new counter keeps its 50
        Assert.False(ev.Evaluate(Pay(1, "x")).IsAllowed);
        Assert.False(ev.Refund(in dropped));
    }

    [Fact]
    public void Concurrent_refunds_of_one_decision_give_back_once()
    {
        using var ev = Engine(Doc("""{"max":10,"window":60,"cost":"args.n"}"""));
        var d = ev.Evaluate(Pay(4));
        int wins = 0;
        Parallel.For(0, 64, _ =>
        {
            if (ev.Refund(in d))
            {
                Interlocked.Increment(ref wins);
            }
        });

        Assert.Equal(1, wins);
        Assert.True(ev.Evaluate(Pay(10)).IsAllowed);
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }

    [Fact]
    public void Refunds_racing_with_calls_never_let_more_than_max_stay_spent()
    {
        // Every thread spends and refunds every other allowed call; at the end the window holds exactly the kept spends.
        using var ev = Engine(Doc("""{"max":1000,"window":3600,"cost":"args.n","per":"global"}"""));
        int kept = 0;
        Parallel.For(0, 4, worker =>
        {
            for (int i = 0; i < 2000; i++)
            {
                var d = ev.Evaluate(Pay(1, "w" + worker));
                if (!d.IsAllowed)
                {
                    continue;
                }

                if (i % 2 == 0)
                {
                    Assert.True(ev.Refund(in d));
                }
                else
                {
                    Interlocked.Increment(ref kept);
                }
            }
        });

        Assert.Equal(1000, kept); // refunds kept room for exactly max kept spends
        Assert.False(ev.Evaluate(Pay(1)).IsAllowed);
    }
}
