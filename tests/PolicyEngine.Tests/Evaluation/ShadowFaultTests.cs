using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// docs/policy-language.md on shadow mode: a fault of the engine itself stays a deny (shadow mode reports what the policy
/// would do; it never turns the engine's own failure into an allow), and <c>capacity_exceeded</c>, which the policy
/// decides through its limits, is reported as shadow.
/// </summary>
public sealed class ShadowFaultTests
{
    private const string Shadow = """{"version":"1","default":"allow","mode":"shadow","all_tools":{"limits":[{"max":5,"window":60}]}}""";

    /// <summary>A clock whose monotonic reading throws: the first thing a limit reads.</summary>
    private sealed class BrokenClock : FakeTimeProvider
    {
        public bool Broken { get; set; }

        public override long GetTimestamp() => Broken ? throw new InvalidOperationException("clock failure") : base.GetTimestamp();
    }

    [Fact]
    public void An_internal_error_in_shadow_mode_is_still_a_deny_without_retry_after()
    {
        var clock = new BrokenClock();
        using var ev = Engine.For(Shadow, clock);
        Assert.Equal(DecisionCodes.Shadow, ev.Evaluate(Engine.Call("t", session: "s")).Code);
        clock.Broken = true;
        var failed = ev.Evaluate(Engine.Call("t", session: "s"));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError, (TimeSpan?)null, (DecisionOutcome?)null),
            (failed.Effect, failed.Code, failed.RetryAfter, failed.Shadowed));
    }

    [Fact]
    public void Capacity_exceeded_in_shadow_mode_is_reported_as_shadow()
    {
        using var ev = Engine.For(Shadow, configure: o => o.MaxTrackedLimitKeys = 1);
        Assert.Equal(DecisionCodes.Shadow, ev.Evaluate(Engine.Call("t", session: "a")).Code);
        var full = ev.Evaluate(Engine.Call("t", session: "b"));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Shadow, (TimeSpan?)null), (full.Effect, full.Code, full.RetryAfter));
        Assert.Equal(DecisionCodes.CapacityExceeded, full.Shadowed?.Code);
    }
}
