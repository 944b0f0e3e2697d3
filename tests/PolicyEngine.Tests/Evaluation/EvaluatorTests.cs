using System.Text.Json;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

public class EvaluatorTests
{
    private const string Trading = """
    {
      "version": "1", "default": "deny", "hide": ["admin_*"],
      "tools": {
        "get_price": {},
        "place_order": {"deny_if": [{"conditions": [{"path": "args.qty", "op": "gt", "value": 10}], "on_deny": "Too big."}]},
        "admin_reset": {}
      }
    }
    """;

    [Fact]
    public void An_internal_fault_becomes_a_deny_and_never_an_exception()
    {
        using var ev = Engine.For(Trading);
        var document = JsonDocument.Parse("""{"qty": 1}""");
        var call = new ToolCall("place_order", document.RootElement);
        document.Dispose(); // reading the arguments now throws inside the engine

        var decision = ev.Evaluate(call);
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError), (decision.Effect, decision.Code));
    }

    [Fact]
    public void A_default_decision_reads_as_a_deny() =>
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError, false), (default(Decision).Effect, default(Decision).Code, default(Decision).IsAllowed));

    [Fact]
    public void Fixed_outcomes_are_shared_not_allocated()
    {
        using var ev = Engine.For(Trading);
        Assert.Same(ev.Evaluate(new ToolCall("get_price")).Outcome, ev.Evaluate(new ToolCall("get_price")).Outcome);
        Assert.Same(ev.Evaluate(new ToolCall("nope")).Outcome, ev.Evaluate(new ToolCall("other")).Outcome);
    }

    [Fact]
    public void Hidden_tools_are_denied_and_filtered_from_listings()
    {
        using var ev = Engine.For(Trading);
        var decision = ev.Evaluate(new ToolCall("admin_reset"));
        Assert.Equal((DecisionCodes.Hidden, "/hide/0"), (decision.Code, decision.Rule));
        Assert.True(ev.IsHidden("admin_reset"));
        Assert.Equal(["get_price", "place_order"], ev.FilterTools(["get_price", "admin_reset", "place_order"], n => n));
    }

    [Fact]
    public void The_first_hide_pattern_in_document_order_is_reported()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","hide":["a*","abc","*c"]}""");
        Assert.Equal("/hide/0", ev.Evaluate(new ToolCall("abc")).Rule);
        Assert.Equal("/hide/2", ev.Evaluate(new ToolCall("xc")).Rule);
    }

    [Fact]
    public void Shadow_mode_reports_the_computed_decision_and_allows()
    {
        using var ev = Engine.For(Trading.Replace("\"default\": \"deny\"", "\"mode\": \"shadow\", \"default\": \"deny\"", StringComparison.Ordinal));
        var decision = ev.Evaluate(Engine.Call("place_order", """{"qty": 50}"""));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.Shadow), (decision.Effect, decision.Code));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.Denied, "/tools/place_order/deny_if/0", "Too big."),
            (decision.Shadowed!.Effect, decision.Shadowed.Code, decision.Shadowed.Rule, decision.Shadowed.Message));
        Assert.Equal(PolicyMode.Shadow, ev.Policy.Mode);
    }

    [Fact]
    public void Names_matched_only_by_globs_resolve_the_same_past_the_cache_cap()
    {
        using var ev = Engine.For("""{"version":"1","default":"deny","tools":{"get_*":{"deny_if":[{"conditions":[{"path":"args.x","op":"eq","value":1}]}]}}}""",
            configure: o => o.MaxResolvedToolNames = 2);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call($"get_{i}", """{"x":2}""")).Code);
            Assert.Equal("/tools/get_*/deny_if/0", ev.Evaluate(Engine.Call($"get_{i}", """{"x":1}""")).Rule);
        }
    }

    [Fact]
    public void Deny_wins_whatever_the_order_of_matching_entries()
    {
        foreach (var tools in new[] { """{"a_*":{},"*_b":{"action":"deny"}}""", """{"*_b":{"action":"deny"},"a_*":{}}""" })
        {
            using var ev = Engine.For("""{"version":"1","default":"allow","tools":TOOLS}""".Replace("TOOLS", tools, StringComparison.Ordinal));
            Assert.Equal(DecisionCodes.Denied, ev.Evaluate(new ToolCall("a_b")).Code);
        }
    }

    [Fact]
    public void Reload_swaps_the_whole_policy()
    {
        using var ev = Engine.For(Trading);
        Assert.Equal(DecisionCodes.DefaultDeny, ev.Evaluate(new ToolCall("new_tool")).Code);
        ev.Reload(Policy.Parse(Trading.Replace("\"get_price\": {}", "\"get_price\": {}, \"new_tool\": {}", StringComparison.Ordinal)));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(new ToolCall("new_tool")).Code);
    }

    [Fact]
    public void Options_are_checked_when_the_evaluator_is_built_and_copied()
    {
        var policy = Policy.Parse(Trading);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyEvaluator(policy, new PolicyEngineOptions { MaxTrackedLimitKeys = 0 }));
        Assert.Throws<ArgumentNullException>(() => new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = null! }));
        var options = new PolicyEngineOptions { MaxArgumentValues = 1 };
        using var ev = new PolicyEvaluator(policy, options);
        options.MaxArgumentValues = 1000; // too late: the evaluator keeps its own copy
        Assert.Equal(DecisionCodes.InvalidCall, ev.Evaluate(Engine.Call("get_price", """{"a":1,"b":2}""")).Code);
    }

    [Fact]
    public void Pins_compare_a_precomputed_pin_or_hash_the_definition()
    {
        var definition = Engine.Json("""{"name":"t","description":"d","inputSchema":{"type":"object"}}""");
        string pin = ToolPin.Compute(definition);
        using var ev = Engine.For("""{"version":"1","default":"deny","tools":{"t":{"pin":"PIN"}}}""".Replace("PIN", pin, StringComparison.Ordinal));
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(new ToolCall("t") { Definition = definition }).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(new ToolCall("t") { DefinitionPin = pin }).Code);
        Assert.Equal(DecisionCodes.DefinitionChanged, ev.Evaluate(new ToolCall("t") { DefinitionPin = "sha256:00" }).Code);
        Assert.Equal(DecisionCodes.DefinitionChanged, ev.Evaluate(new ToolCall("t") { Definition = Engine.Json("[]") }).Code);
        Assert.Equal("/tools/t/pin", ev.Evaluate(new ToolCall("t")).Rule);
    }
}
