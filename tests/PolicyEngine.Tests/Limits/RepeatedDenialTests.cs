using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// An exhausted count limit denies again without its lock, from the remembered end of the last denial.
/// These pin that the shortcut reports what the full check would, and stops as soon as room frees.
/// </summary>
public class RepeatedDenialTests
{
    private const string ThreePerMinute = """
        {"version":"1","default":"deny","tools":{"search":{"rate_limit":{"max":3,"window":60}}}}
        """;

    [Fact]
    public void Repeated_denials_count_down_to_the_exact_moment_room_frees()
    {
        var clock = Engine.Clock();
        var evaluator = Engine.For(ThreePerMinute, clock);
        var call = Engine.Call("search", "{}", session: "s");
        Decision At(int seconds)
        {
            clock.SetUtcNow(Engine.Epoch.AddSeconds(seconds));
            return evaluator.Evaluate(call);
        }

        Assert.True(At(0).IsAllowed);
        Assert.True(At(10).IsAllowed);
        Assert.True(At(20).IsAllowed);
        foreach (var (second, retry) in new[] { (30, 30), (31, 29), (45, 15), (59, 1) })
        {
            var denied = At(second);
            Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(retry)), (denied.Code, denied.RetryAfter));
        }

        Assert.True(At(60).IsAllowed); // the spend at 0 left the window (0, 60]
        var next = At(61);
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(9)), (next.Code, next.RetryAfter));
        Assert.True(At(70).IsAllowed);
    }

    [Fact]
    public void A_denial_in_one_session_never_denies_another()
    {
        var clock = Engine.Clock();
        var evaluator = Engine.For(ThreePerMinute, clock);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(evaluator.Evaluate(Engine.Call("search", "{}", session: "a")).IsAllowed);
        }

        Assert.Equal(DecisionCodes.RateLimited, evaluator.Evaluate(Engine.Call("search", "{}", session: "a")).Code);
        Assert.True(evaluator.Evaluate(Engine.Call("search", "{}", session: "b")).IsAllowed);
    }
}
