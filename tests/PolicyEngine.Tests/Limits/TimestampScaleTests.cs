using PolicyEngine.Limits;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// Timestamps of clocks that do not tick at 10^7 a second: TimeProvider.System on Linux ticks at 10^9, and a host may
/// inject anything. Every other test clock ticks at 10^7, where the scale is the identity, so the mutation run found
/// the scaling untested. Conversions are exact; a wait rounds up, so a retry-after is never early.
/// </summary>
public class TimestampScaleTests
{
    [Theory]
    [InlineData(1_000_000_000L, 10_000_000L, 1_000_000_000L)] // 1 s at 1 GHz
    [InlineData(1_000_000_000L, 1L, 100L)]
    [InlineData(10_000_000L, 12_345L, 12_345L)]
    [InlineData(1_000L, 10_000_000L, 1_000L)]
    [InlineData(1_000L, 19_999L, 1L)] // whole units only: 1.9999 ms is 1 ms
    [InlineData(3L, 10_000_000L, 3L)] // neither multiple nor divisor of 10^7: 128-bit arithmetic
    [InlineData(3L, 6_666_666L, 1L)]
    [InlineData(3_000_000_019L, 864_000_000_000_000L, 259_200_001_641_600_000L)] // 1,000 days at an odd 3 GHz: no overflow
    public void Spans_become_timestamps_exactly(long frequency, long ticks, long expected) =>
        Assert.Equal(expected, new TimestampScale(frequency).ToTimestamp(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(1_000_000_000L, 1_000_000_000L, 10_000_000L)]
    [InlineData(1_000_000_000L, 1L, 1L)] // 1 ns is a fraction of a tick: rounded up to one
    [InlineData(1_000_000_000L, 100L, 1L)]
    [InlineData(1_000_000_000L, 101L, 2L)]
    [InlineData(1_000_000_000L, 0L, 0L)]
    [InlineData(10_000_000L, 12_345L, 12_345L)]
    [InlineData(1_000L, 1L, 10_000L)]
    [InlineData(1_000L, 1_500L, 15_000_000L)]
    [InlineData(3L, 1L, 3_333_334L)] // 1/3 s, rounded up
    [InlineData(3L, 3L, 10_000_000L)]
    [InlineData(3L, 0L, 0L)]
    public void Timestamps_become_spans_rounded_up(long frequency, long timestamp, long expectedTicks) =>
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), new TimestampScale(frequency).ToTimeSpan(timestamp));

    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(1_000L)]
    [InlineData(3L)]
    public void Limits_and_approvals_keep_time_on_a_clock_of_any_frequency(long frequency)
    {
        var clock = new ScaledClock(frequency);
        using var ev = new PolicyEvaluator(Policy.Parse("""
            {"version":"1","default":"allow","approval_ttl":"30s","tools":{"t":{"limits":[{"max":1,"window":10}]},"g":{"action":"require_approval"}}}
            """), new PolicyEngineOptions { TimeProvider = clock });
        var call = new ToolCall("t") { SessionId = "s" };
        Assert.True(ev.Evaluate(call).IsAllowed);

        clock.Advance(TimeSpan.FromSeconds(4));
        var denied = ev.Evaluate(call);
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)TimeSpan.FromSeconds(6)), (denied.Code, denied.RetryAfter));
        clock.Advance(TimeSpan.FromSeconds(6) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(call).Code);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(ev.Evaluate(call).IsAllowed); // the window is exactly 10 s on this clock

        var gated = new ToolCall("g") { SessionId = "s" };
        var id = ev.Evaluate(gated).ApprovalId!;
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.True(ev.Approve(id)); // still pending just before the ttl
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(DecisionCodes.ApprovalRequired, ev.Evaluate(gated).Code); // the grant lived exactly 30 s
    }

    /// <summary>A clock whose timestamps tick at <paramref name="frequency"/> a second; advanced by whole milliseconds.</summary>
    private sealed class ScaledClock(long frequency) : TimeProvider
    {
        private long _milliseconds = 1_000_000;

        public override long TimestampFrequency => frequency;

        public override long GetTimestamp() => (long)((Int128)_milliseconds * frequency / 1000);

        public override DateTimeOffset GetUtcNow() => Engine.Epoch + TimeSpan.FromMilliseconds(_milliseconds);

        public void Advance(TimeSpan by) => _milliseconds += (long)by.TotalMilliseconds;
    }
}
