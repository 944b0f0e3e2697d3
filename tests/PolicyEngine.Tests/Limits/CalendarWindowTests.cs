using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>Spec §4 calendar windows: counting over [start of t's UTC unit, t], emptied at every UTC boundary.</summary>
public class CalendarWindowTests
{
    private static string Doc(string limits) => """{"version":"1","default":"allow","tools":{"t":{"limits":[LIMITS]}}}""".Replace("LIMITS", limits, StringComparison.Ordinal);

    private static ToolCall Call(decimal? n = null, string session = "s") =>
        n is null ? new ToolCall("t") { SessionId = session } : Engine.Call("t", "{\"n\":" + n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", session);

    /// <summary>A clock at <paramref name="utc"/>; <see cref="Engine.Epoch"/> and every test time here are UTC.</summary>
    private static FakeTimeProvider ClockAt(string utc) => new(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_last_millisecond_of_a_minute_is_in_it_and_the_next_minute_starts_empty()
    {
        var clock = ClockAt("2026-01-01T10:20:30Z");
        using var ev = Engine.For(Doc("""{"max":2,"window":"minute"}"""), clock);
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.True(ev.Evaluate(Call()).IsAllowed);

        clock.Advance(TimeSpan.FromMilliseconds(29_999)); // 10:20:59.999
        var d = ev.Evaluate(Call());
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)TimeSpan.FromMilliseconds(1)), (d.Code, d.RetryAfter));

        clock.Advance(TimeSpan.FromMilliseconds(1)); // 10:21:00.000: a new unit, though the spends are 30 s old
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.Equal(TimeSpan.FromMinutes(1), ev.Evaluate(Call()).RetryAfter);
    }

    [Fact]
    public void A_daily_budget_with_a_cost_empties_at_midnight_utc()
    {
        var clock = ClockAt("2026-03-09T23:00:00Z");
        using var ev = Engine.For(Doc("""{"max":100,"window":"day","cost":"args.n"}"""), clock);
        Assert.True(ev.Evaluate(Call(90)).IsAllowed);

        var d = ev.Evaluate(Call(20));
        Assert.Equal((DecisionCodes.RateLimited, (TimeSpan?)TimeSpan.FromHours(1)), (d.Code, d.RetryAfter));
        Assert.Null(ev.Evaluate(Call(101)).RetryAfter); // never fits

        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1)); // 23:59:59.999
        Assert.Equal(TimeSpan.FromMilliseconds(1), ev.Evaluate(Call(20)).RetryAfter);
        Assert.True(ev.Evaluate(Call(10)).IsAllowed); // exactly max

        clock.Advance(TimeSpan.FromMilliseconds(1)); // midnight
        Assert.True(ev.Evaluate(Call(100)).IsAllowed);
        Assert.Equal(TimeSpan.FromDays(1), ev.Evaluate(Call(0.5m)).RetryAfter);
    }

    [Fact]
    public void An_hour_window_follows_the_utc_hour_not_the_first_call()
    {
        var clock = ClockAt("2026-01-01T05:59:00Z");
        using var ev = Engine.For(Doc("""{"max":1,"window":"hour"}"""), clock);
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.Equal(TimeSpan.FromMinutes(1), ev.Evaluate(Call()).RetryAfter);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(ev.Evaluate(Call()).IsAllowed);
    }

    [Fact]
    public void A_calendar_minute_is_not_the_sliding_minute()
    {
        var clock = ClockAt("2026-01-01T00:00:30Z");
        using var calendar = Engine.For(Doc("""{"max":1,"window":"minute"}"""), clock);
        using var sliding = Engine.For(Doc("""{"max":1,"window":"1m"}"""), clock);
        Assert.True(calendar.Evaluate(Call()).IsAllowed);
        Assert.True(sliding.Evaluate(Call()).IsAllowed);

        clock.Advance(TimeSpan.FromSeconds(31)); // 00:01:01
        Assert.True(calendar.Evaluate(Call()).IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(29), sliding.Evaluate(Call()).RetryAfter);
    }

    [Fact]
    public void With_a_sliding_limit_too_retry_after_is_the_longer_wait()
    {
        var clock = ClockAt("2026-01-01T00:00:50Z");
        using var ev = Engine.For(Doc("""{"max":1,"window":"minute"},{"max":1,"window":30}"""), clock);
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        var d = ev.Evaluate(Call()); // the minute ends in 10 s, the sliding window frees in 30 s
        Assert.Equal(("/tools/t/limits/0", (TimeSpan?)TimeSpan.FromSeconds(30)), (d.Rule, d.RetryAfter));

        clock.Advance(TimeSpan.FromSeconds(10)); // a new minute: only the sliding limit holds
        d = ev.Evaluate(Call());
        Assert.Equal(("/tools/t/limits/1", (TimeSpan?)TimeSpan.FromSeconds(20)), (d.Rule, d.RetryAfter));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(ev.Evaluate(Call()).IsAllowed);
    }

    [Fact]
    public void A_reload_keeps_a_calendar_limits_counters_and_applies_a_new_max_at_once()
    {
        var clock = ClockAt("2026-01-01T12:00:10Z");
        using var ev = Engine.For(Doc("""{"max":5,"window":"minute","per":"global"}"""), clock);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ev.Evaluate(Call()).IsAllowed);
        }

        ev.Reload(Policy.Parse(Doc("""{"max":1000,"window":3600},{"max":4,"window":"minute","per":"global"}""")));
        var d = ev.Evaluate(Call());
        Assert.Equal(("/tools/t/limits/1", (TimeSpan?)TimeSpan.FromSeconds(50)), (d.Rule, d.RetryAfter));

        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(ev.Evaluate(Call()).IsAllowed);
    }

    [Theory]
    [InlineData("60")]
    [InlineData("\"1m\"")]
    [InlineData("\"hour\"")]
    public void A_reload_to_another_window_kind_or_unit_starts_empty(string window)
    {
        var clock = ClockAt("2026-01-01T12:00:10Z");
        using var ev = Engine.For(Doc("""{"max":1,"window":"minute"}"""), clock);
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.False(ev.Evaluate(Call()).IsAllowed);

        ev.Reload(Policy.Parse(Doc($$"""{"max":1,"window":{{window}}}""")));
        Assert.True(ev.Evaluate(Call()).IsAllowed);
    }

    [Fact]
    public void A_counter_expires_once_its_unit_ended_without_spend()
    {
        var clock = ClockAt("2026-01-01T00:00:59Z");
        using var ev = Engine.For(Doc("""{"max":1,"window":"day"}"""), clock, o => o.MaxTrackedLimitKeys = 1);
        Assert.True(ev.Evaluate(Call(session: "a")).IsAllowed);
        clock.Advance(TimeSpan.FromHours(23)); // still the same day: the counter is live and the one slot taken
        Assert.Equal(DecisionCodes.CapacityExceeded, ev.Evaluate(Call(session: "b")).Code);

        clock.Advance(TimeSpan.FromHours(1)); // the next day
        Assert.True(ev.Evaluate(Call(session: "b")).IsAllowed);
        Assert.Equal(1, ev.TrackedLimitKeys);
    }

    [Fact]
    public void Calendar_windows_read_the_wall_clock_and_never_run_it_backwards()
    {
        // The monotonic timestamp keeps going while the wall clock is stepped: boundaries follow the wall clock.
        var clock = new SteppedWallClock(new DateTimeOffset(2026, 1, 1, 0, 0, 50, TimeSpan.Zero));
        using var ev = new PolicyEvaluator(Policy.Parse(Doc("""{"max":1,"window":"minute"}""")), new PolicyEngineOptions { TimeProvider = clock });
        Assert.True(ev.Evaluate(Call()).IsAllowed);

        clock.Wall -= TimeSpan.FromMinutes(5); // stepped back: the counter holds its time, the spend still counts
        Assert.Equal(TimeSpan.FromSeconds(10), ev.Evaluate(Call()).RetryAfter);

        clock.Wall += TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10); // the next minute, while the timestamp stood still
        Assert.True(ev.Evaluate(Call()).IsAllowed);
    }

    [Theory]
    [InlineData("\"week\"", "'window' is seconds, a duration such as \"30s\" or \"1h\", or a calendar window: \"minute\", \"hour\" or \"day\"; not 'week'.")]
    [InlineData("\"Minute\"", "'window' is seconds, a duration such as \"30s\" or \"1h\", or a calendar window: \"minute\", \"hour\" or \"day\"; not 'Minute'.")]
    public void An_unknown_calendar_unit_is_rejected_with_the_choices(string window, string message)
    {
        var e = Assert.Throws<PolicyValidationException>(() => Policy.Parse(Doc($$"""{"max":1,"window":{{window}}}""")));
        Assert.Contains(e.Errors, x => x.Pointer == "/tools/t/limits/0/window" && x.Message == message);
    }

    [Fact]
    public void The_engines_message_names_the_utc_unit()
    {
        using var ev = Engine.For(Doc("""{"max":1,"window":"day"}"""));
        Assert.True(ev.Evaluate(Call()).IsAllowed);
        Assert.Equal("Limit reached: at most 1 call per UTC day.", ev.Evaluate(Call()).Message);
    }

    /// <summary>A monotonic timestamp that never moves and a wall clock set by the test.</summary>
    private sealed class SteppedWallClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Wall { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Wall;

        public override long GetTimestamp() => 1_000;
    }
}
