using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Limits;

/// <summary>Spec §7 Reload: a limit is its block, window, per and cost; max is not part of it and applies at once.</summary>
public class ReloadIdentityTests
{
    private static string Doc(string limits) => """{"version":"1","default":"allow","tools":{"t":{"limits":[LIMITS]}}}""".Replace("LIMITS", limits, StringComparison.Ordinal);

    private static int AllowedOf(PolicyEvaluator ev, int calls, string session = "s") =>
        Enumerable.Range(0, calls).Count(_ => ev.Evaluate(new ToolCall("t") { SessionId = session }).IsAllowed);

    [Fact]
    public void Tightening_max_during_an_incident_applies_to_what_the_window_already_holds()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Doc("""{"max":100,"window":60}"""), clock);
        Assert.Equal(100, AllowedOf(ev, 100));
        clock.Advance(TimeSpan.FromSeconds(10));

        ev.Reload(Policy.Parse(Doc("""{"max":5,"window":60}""")));
        var d = ev.Evaluate(new ToolCall("t") { SessionId = "s" });
        Assert.Equal((DecisionCodes.RateLimited, TimeSpan.FromSeconds(50)), (d.Code, d.RetryAfter));
        clock.Advance(TimeSpan.FromSeconds(50)); // the 100 leave the window together
        Assert.Equal(5, AllowedOf(ev, 10));
    }

    [Fact]
    public void Loosening_max_lets_calls_through_at_once_even_after_a_remembered_denial()
    {
        var clock = Engine.Clock();
        using var ev = Engine.For(Doc("""{"max":5,"window":60}"""), clock);
        Assert.Equal(5, AllowedOf(ev, 8)); // the last three were denied, and the counter remembers the denial

        ev.Reload(Policy.Parse(Doc("""{"max":7,"window":60}""")));
        Assert.Equal(2, AllowedOf(ev, 5));
    }

    [Fact]
    public void A_limit_keeps_its_counters_when_a_looser_one_is_inserted_before_it()
    {
        using var ev = Engine.For(Doc("""{"max":5,"window":60}"""));
        Assert.Equal(5, AllowedOf(ev, 5));

        ev.Reload(Policy.Parse(Doc("""{"max":1000,"window":3600},{"max":5,"window":60}""")));
        var d = ev.Evaluate(new ToolCall("t") { SessionId = "s" });
        Assert.Equal((DecisionCodes.RateLimited, "/tools/t/limits/1"), (d.Code, d.Rule));
    }

    [Fact]
    public void Limits_of_one_identity_have_distinct_stable_ids_for_shared_stores()
    {
        var limits = Policy.Parse(Doc("""{"max":3,"window":60},{"max":2,"window":"1m"},{"max":1,"window":60,"per":"global"}""")).Compiled.Limits;
        Assert.Equal(limits[0].Identity, limits[1].Identity);
        Assert.Equal(3, limits.Select(l => l.StableId).Distinct(StringComparer.Ordinal).Count());
        // The first of its identity keeps the id of its identity alone, so the id does not depend on limits after it.
        Assert.Equal(Policy.Parse(Doc("""{"max":9,"window":60}""")).Compiled.Limits[0].StableId, limits[0].StableId);
    }

    [Fact]
    public void Limits_of_one_identity_are_matched_in_their_order()
    {
        using var ev = Engine.For(Doc("""{"max":3,"window":60}"""));
        Assert.Equal(3, AllowedOf(ev, 3));

        // The old limit is the first of the two equal ones now: it keeps its 3 under max 100; the second starts empty.
        ev.Reload(Policy.Parse(Doc("""{"max":100,"window":60},{"max":3,"window":60}""")));
        Assert.Equal(3, AllowedOf(ev, 10));
    }

    [Theory]
    [InlineData("""{"max":5,"window":"1m"}""", true)]
    [InlineData("""{"max":5,"window":"60000ms","per":"session"}""", true)]
    [InlineData("""{"max":5,"window":60,"name":"renamed","on_limit":"new message"}""", true)]
    [InlineData("""{"max":6,"window":60}""", true)]
    [InlineData("""{"max":5,"window":61}""", false)]
    [InlineData("""{"max":5,"window":60,"per":"global"}""", false)]
    [InlineData("""{"max":5,"window":60,"cost":"args.n"}""", false)]
    public void Reload_keeps_the_counters_of_a_limit_whose_block_window_per_and_cost_are_unchanged(string limit, bool kept)
    {
        using var ev = Engine.For(Doc("""{"max":5,"window":60}"""));
        Assert.Equal(5, AllowedOf(ev, 5));

        ev.Reload(Policy.Parse(Doc(limit)));
        // Kept: the window holds 5 already (one more fits under max 6). Fresh: a new window fits max calls.
        int max = limit.Contains("\"max\":6", StringComparison.Ordinal) ? 6 : 5;
        var calls = Enumerable.Range(0, 10).Count(_ => ev.Evaluate(Engine.Call("t", """{"n":1}""", "s")).IsAllowed);
        Assert.Equal(kept ? max - 5 : max, calls);
    }

    [Fact]
    public void Paths_that_name_the_same_value_are_the_same_per()
    {
        using var ev = Engine.For(Doc("""{"max":2,"window":60,"per":"args.user"}"""));
        Assert.Equal(2, Enumerable.Range(0, 3).Count(_ => ev.Evaluate(Engine.Call("t", """{"user":"u"}""")).IsAllowed));

        ev.Reload(Policy.Parse(Doc("""{"max":2,"window":60,"per":"args[\"user\"]"}""")));
        Assert.False(ev.Evaluate(Engine.Call("t", """{"user":"u"}""")).IsAllowed);
    }

    [Fact]
    public void A_limit_that_moves_to_another_block_starts_fresh_and_the_old_block_releases_its_counters()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""");
        for (int i = 0; i < 10; i++)
        {
            ev.Evaluate(new ToolCall("t") { SessionId = "s" + i });
        }

        Assert.Equal(10, ev.TrackedLimitKeys);
        ev.Reload(Policy.Parse(Doc("""{"max":5,"window":60}""")));
        Assert.Equal(0, ev.TrackedLimitKeys);
        Assert.Equal(5, AllowedOf(ev, 10, "s0"));
    }
}
