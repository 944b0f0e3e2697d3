using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Intercept;

/// <summary>Intercept 'state' counters (issue 21) as limits: a bound on the rule's own counter, counted store-wide.</summary>
public class InterceptCounterTests
{
    private const string Spend = """
        version: "1"
        tools:
          create_charge:
            rules:
              - name: "daily spend cap"
                conditions:
                  - path: "state.create_charge.daily_spend"
                    op: "lte"
                    value: 1000
                  - path: "args.currency"
                    op: "eq"
                    value: "usd"
                on_deny: "Daily spending cap reached"
                state:
                  counter: "daily_spend"
                  window: "day"
                  increment_from: "args.amount"
          "*":
            rules:
              - name: "global"
                conditions:
                  - path: "state._global.calls"
                    op: "lt"
                    value: 7
                state:
                  counter: "calls"
                  window: "minute"
                  increment: 2
        """;

    /// <summary>The error messages of tool t with one rule: one condition, and a state block with <paramref name="extra"/>.</summary>
    private static string Errors(string condition, string extra)
    {
        Assert.False(Policy.TryParse($$"""
            version: "1"
            tools:
              t:
                rules:
                  - name: r
                    conditions: [{{condition}}]
                    state: {counter: n, window: hour{{extra}}}
            """, out _, out var errors));
        return string.Join("\n", errors.Select(e => e.Message));
    }

    private static Decision Charge(PolicyEvaluator ev, string amount, string session = "s") =>
        ev.Evaluate(Engine.Call("create_charge", $$"""{"amount": {{amount}}, "currency": "usd"}""", session));

    [Fact]
    public void Increment_from_spends_the_argument_against_the_bound_across_sessions()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Spend, clock);
        Assert.True(Charge(ev, "600", "a").IsAllowed);
        var d = Charge(ev, "401", "b");
        Assert.Equal((DecisionCodes.RateLimited, "Daily spending cap reached"), (d.Code, d.Message));
        Assert.True(Charge(ev, "400", "c").IsAllowed); // exactly the bound (lte)
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(Charge(ev, "1000").IsAllowed);
    }

    [Theory]
    [InlineData("-5")] // would refill the counter in Intercept
    [InlineData("\"5\"")] // an internal error there
    public void A_negative_or_non_number_increment_from_is_denied(string amount)
    {
        using var ev = Engine.For(Spend);
        Assert.Equal(DecisionCodes.Indeterminate, Charge(ev, amount).Code);
    }

    [Fact]
    public void A_fixed_increment_under_lt_allows_as_many_calls_as_fit_below_the_bound()
    {
        // lt 7 is a bound of 6 there; 2 per call: three calls (2, 4, 6), then 8 would exceed it.
        using var ev = Engine.For(Spend);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ev.Evaluate(Engine.Call("other", "{}", "s" + i)).IsAllowed);
        }

        var d = ev.Evaluate(Engine.Call("other", "{}"));
        Assert.Equal((DecisionCodes.RateLimited, "Rate limit exceeded for global"), (d.Code, d.Message));
    }

    [Theory]
    [InlineData("state.other.n", "lte")]
    [InlineData("state.t.n", "gt")]
    public void A_counter_condition_without_an_exact_limit_is_refused(string path, string op)
    {
        Assert.Contains("has an exact limit here; this condition is not translated", Errors($"{{path: \"{path}\", op: {op}, value: 5}}", ""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("increment: -1", "negative increment")]
    [InlineData("colour: red", "Unknown key 'colour'")]
    public void A_state_block_that_cannot_be_translated_exactly_is_refused(string extra, string message)
    {
        Assert.Contains(message, Errors("{path: state.t.n, op: lte, value: 5}", ", " + extra), StringComparison.Ordinal);
    }
}
