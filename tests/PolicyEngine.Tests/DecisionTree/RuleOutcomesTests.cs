using PolicyEngine.Tests.TestSupport;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Tests.DecisionTree;

/// <summary>
/// A rule's outcome is made when a decision first reports it (<c>RuleOutcomes</c>), not while the policy is
/// built. These pin that nothing is made up front, that what is made later carries the rule's exact pointer and
/// message, and that every decision of a rule shares one instance, also when threads race to make it.
/// </summary>
public class RuleOutcomesTests
{
    private const string Policy = """
        {"version":"1","default":"allow",
         "all_tools":{"limits":[{"max":1000,"window":60},{"max":1,"window":"1h","per":"args.k","name":"per k"}]},
         "tools":{
           "ns/a.b":{"require":["args.k",{"path":"args.n","op":"gt","value":0,"on_fail":"n must be positive"}],
                    "deny_if":[{"conditions":[{"path":"args.k","op":"eq","value":"x"}]},{"conditions":[{"path":"args.k","op":"eq","value":"y"}],"on_deny":"no y"}],
                    "approve_if":[{"conditions":[{"path":"args.k","op":"eq","value":"z"}],"reason":"ask"}],
                    "rate_limit":{"max":5,"window":"1m"},
                    "limits":[{"max":3,"window":"1s","cost":"args.n"}]},
           "act":{"action":"deny","reason":"closed"},
           "pinned":{"pin":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}}}
        """;

    [Fact]
    public void Parse_makes_no_rule_outcome()
    {
        var compiled = PolicyEngine.Policy.Parse(Policy).Compiled;
        Assert.True(compiled.TryGetKnownPlan("ns/a.b", out var plan));
        var block = plan.Blocks[0];
        Assert.Equal(5, block.Rules.Length);
        Assert.False(block.HasOutcomes);
        Assert.Null(block.Preamble); // no pin, no action: nothing held for them
        Assert.True(compiled.TryGetKnownPlan("act", out var act));
        Assert.Equal(BlockAction.Deny, act.Blocks[0].Preamble!.Action);
    }

    [Theory]
    [InlineData("""{"n":1}""", DecisionCodes.RequirementFailed, "/tools/ns~1a.b/require/0", "'args.k' must be present.")]
    [InlineData("""{"k":"q","n":0}""", DecisionCodes.RequirementFailed, "/tools/ns~1a.b/require/1", "n must be positive")]
    [InlineData("""{"k":"q","n":"many"}""", DecisionCodes.Indeterminate, "/tools/ns~1a.b/require/1", Sentences.RuleIndeterminate)]
    [InlineData("""{"k":"x","n":1}""", DecisionCodes.Denied, "/tools/ns~1a.b/deny_if/0", "A deny_if rule matched this call.")]
    [InlineData("""{"k":"y","n":1}""", DecisionCodes.Denied, "/tools/ns~1a.b/deny_if/1", "no y")]
    [InlineData("""{"k":"z","n":1}""", DecisionCodes.ApprovalRequired, "/tools/ns~1a.b/approve_if/0", "ask")]
    [InlineData("""{"k":"q","n":5}""", DecisionCodes.RateLimited, "/tools/ns~1a.b/limits/0", "Limit reached: at most 3 spent per second.")]
    [InlineData("""{"k":"q","n":1}""", DecisionCodes.Allowed, "/tools/ns~1a.b", null)]
    public void A_rule_reports_its_pointer_and_message_and_always_the_same_outcome(string arguments, string code, string rule, string? message)
    {
        var evaluator = Engine.For(Policy);
        var first = evaluator.Evaluate(Engine.Call("ns/a.b", arguments));
        var again = evaluator.Evaluate(Engine.Call("ns/a.b", arguments.Replace("\"k\":\"q\"", "\"k\":\"q2\"", StringComparison.Ordinal)));

        Assert.Equal((code, rule), (first.Code, first.Rule));
        Assert.Equal(message, first.Message);
        Assert.Same(first.Outcome, again.Outcome);
    }

    [Fact]
    public void Limits_action_and_pin_outcomes_name_their_rules()
    {
        var evaluator = Engine.For(Policy);
        var limited = evaluator.Evaluate(Engine.Call("ns/a.b", """{"k":"q","n":1}"""));
        Assert.Equal(DecisionCodes.Allowed, limited.Code);
        var perK = evaluator.Evaluate(Engine.Call("ns/a.b", """{"k":"q","n":1}"""));
        Assert.Equal((DecisionCodes.RateLimited, "/all_tools/limits/1", "Limit 'per k' reached: at most 1 call per hour."), (perK.Code, perK.Rule, perK.Message));

        var costless = evaluator.Evaluate(Engine.Call("ns/a.b", """{"k":"r"}"""));
        Assert.Equal((DecisionCodes.RequirementFailed, "/tools/ns~1a.b/require/1"), (costless.Code, costless.Rule));

        var action = evaluator.Evaluate(Engine.Call("act"));
        Assert.Equal((DecisionCodes.Denied, "/tools/act/action", "closed"), (action.Code, action.Rule, action.Message));
        var pin = evaluator.Evaluate(Engine.Call("pinned"));
        Assert.Equal((DecisionCodes.DefinitionChanged, "/tools/pinned/pin"), (pin.Code, pin.Rule));
        Assert.Same(pin.Outcome, evaluator.Evaluate(Engine.Call("pinned")).Outcome);
    }

    [Fact]
    public void Threads_that_race_to_make_an_outcome_get_one_instance()
    {
        for (int round = 0; round < 20; round++)
        {
            var evaluator = Engine.For(Policy);
            // Dedicated threads: a Barrier(8) inside Parallel.For waits for the thread pool to grow on 2 cores.
            var outcomes = Security.SecurityFixtures.RunTogether<DecisionOutcome>(8, _ => [evaluator.Evaluate(Engine.Call("ns/a.b", """{"k":"y","n":1}""")).Outcome]);
            Assert.Equal(8, outcomes.Count);

            Assert.All(outcomes, o => Assert.Same(outcomes[0], o));
            Assert.Equal("/tools/ns~1a.b/deny_if/1", outcomes[0].Rule);
        }
    }

    [Fact]
    public void Blocks_that_read_the_same_names_share_one_id_array()
    {
        var compiled = PolicyEngine.Policy.Parse("""
            {"version":"1","default":"deny","tools":{
              "t1":{"require":["args.a"],"deny_if":[{"conditions":[{"path":"args.b","op":"eq","value":1}]}]},
              "t2":{"require":["args.a"],"deny_if":[{"conditions":[{"path":"args.b","op":"eq","value":2}]}]},
              "t3":{"require":["args.b"],"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":2}]}]}}}
            """).Compiled;
        RuleBlock Block(string tool) => compiled.TryGetKnownPlan(tool, out var plan) ? plan.Blocks[0] : throw new InvalidOperationException(tool);

        Assert.Same(Block("t1").ArgNameIds, Block("t2").ArgNameIds);
        Assert.Equal([0, 1], Block("t1").ArgNameIds);
        Assert.Equal([1, 0], Block("t3").ArgNameIds);
    }

    [Fact]
    public void A_block_s_limits_are_its_range_of_the_document_s_limits_in_order()
    {
        var compiled = PolicyEngine.Policy.Parse(Policy).Compiled;
        Assert.True(compiled.TryGetKnownPlan("ns/a.b", out var plan));
        Assert.Equal(
            ["/all_tools/limits/0", "/all_tools/limits/1", "/tools/ns~1a.b/rate_limit", "/tools/ns~1a.b/limits/0"],
            plan.Limits.ToArray().Select(l => l.Pointer));
        Assert.Equal([0, 1, 2, 3], plan.Limits.ToArray().Select(l => l.Index));
    }
}
