using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// A calendar window among several limits of one call (the gate's multi-limit path): its unit is read from the wall
/// clock, both when it is checked and when it is spent, while a sliding window beside it runs on the monotonic
/// timestamp. The clock here keeps the two far apart (its timestamp starts near zero), so a calendar limit that read
/// the timestamp would put every spend in January 1970.
/// </summary>
public class CalendarAmongLimitsTests
{
    private const string Daily = """
        {"version":"1","default":"deny","tools":{"pay":{"limits":[
          {"max":1,"window":"day"},
          {"max":100,"window":60}]}}}
        """;

    [Fact]
    public void A_daily_limit_beside_a_sliding_one_counts_wall_clock_days()
    {
        var clock = new SplitClock();
        clock.SetWallClock(Engine.Epoch.AddHours(10));
        using var ev = new PolicyEvaluator(Policy.Parse(Daily), new PolicyEngineOptions { TimeProvider = clock });
        var pay = Engine.Call("pay", "{}", "s");

        Assert.True(ev.Evaluate(pay).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = ev.Evaluate(pay);
        Assert.Equal(DecisionCodes.RateLimited, second.Code); // the same UTC day
        Assert.Equal(TimeSpan.FromHours(14) - TimeSpan.FromSeconds(1), second.RetryAfter); // until 00:00 UTC

        clock.Advance(TimeSpan.FromHours(14)); // 00:00:01 the next day
        Assert.True(ev.Evaluate(pay).IsAllowed);
        clock.Advance(TimeSpan.FromSeconds(1)); // that spend was counted in this day, not an earlier one
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(pay).Code);
    }

    [Fact]
    public void A_cost_above_max_among_several_limits_has_no_retry_after()
    {
        const string Budget = """
            {"version":"1","default":"deny","tools":{"pay":{"limits":[
              {"max":5,"window":60,"cost":"args.amount"},
              {"max":100,"window":60}]}}}
            """;
        using var ev = Engine.For(Budget);
        Assert.True(ev.Evaluate(Engine.Call("pay", """{"amount":1}""", "s")).IsAllowed); // both counters exist now
        var refused = ev.Evaluate(Engine.Call("pay", """{"amount":10}""", "s"));
        Assert.Equal(DecisionCodes.RateLimited, refused.Code);
        Assert.Null(refused.RetryAfter); // it never fits: waiting would not help
    }
}
