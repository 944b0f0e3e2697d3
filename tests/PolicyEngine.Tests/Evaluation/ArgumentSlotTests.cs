using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// The validator's one pass over the arguments also finds the top-level names a plan's paths read (see
/// <c>WantedArgs</c>). These pin that the shortcut decides exactly what a lookup by name would.
/// </summary>
public class ArgumentSlotTests
{
    private const string FiveLeaves = """
        {"version":"1","default":"deny","tools":{"place_order":{"deny_if":[{"conditions":[
          {"path":"args.side","op":"eq","value":"sell"},
          {"path":"args.symbol","op":"in","value":["BTCUSD","ETHUSD"]},
          {"path":"args.quantity","op":"gt","value":100},
          {"path":"args.account","op":"starts_with","value":"margin-"},
          {"path":"args.note","op":"regex","value":"urgent|override"}
        ],"on_deny":"n"}]}}}
        """;

    private static readonly PolicyEvaluator Five = Engine.For(FiveLeaves);

    private static string Code(PolicyEvaluator evaluator, string tool, string arguments) =>
        evaluator.Evaluate(Engine.Call(tool, arguments)).Code;

    [Theory]
    [InlineData("""{"side":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent"}""", DecisionCodes.Denied)]
    [InlineData("""{"side":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"weekly"}""", DecisionCodes.Allowed)]
    [InlineData("""{"note":"override","account":"margin-1","quantity":101,"symbol":"BTCUSD","side":"sell"}""", DecisionCodes.Denied)]
    [InlineData("""{"side":"sell","symbol":"ETHUSD","quantity":100,"account":"margin-1","note":"urgent"}""", DecisionCodes.Allowed)]
    [InlineData("""{"symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent"}""", DecisionCodes.Allowed)]
    [InlineData("""{}""", DecisionCodes.Allowed)]
    public void Names_are_found_in_any_order_and_absent_names_are_missing(string arguments, string expected) =>
        Assert.Equal(expected, Code(Five, "place_order", arguments));

    [Theory]
    [InlineData("""{"si\u0064e":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent"}""")]
    [InlineData("""{"side":"s\u0065ll","symbol":"ETHUSD","quantity":250,"account":"margin\u002d1","note":"\u0075rgent"}""")]
    [InlineData("""{"side":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent","x":"\\"}""")]
    [InlineData("""{"\ud800":1,"side":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent"}""")]
    [InlineData("""{"side":"sell","symbol":"ETHUSD","quantity":250,"account":"margin-1","note":"urgent","\udc00x":"\ud800"}""")]
    public void Escaped_names_and_values_decide_as_their_decoded_text(string arguments) =>
        Assert.Equal(DecisionCodes.Denied, Code(Five, "place_order", arguments));

    [Theory]
    [InlineData("""{"side":"buy","side":"sell"}""")]
    [InlineData("""{"side":"buy","si\u0064e":"sell"}""")]
    [InlineData("""{"note":"a","symbol":"b","note":"c"}""")]
    [InlineData("""{"side":"sell","o":{"k":1,"k":2}}""")]
    public void Duplicates_are_invalid_on_the_plan_path_too(string arguments) =>
        Assert.Equal(DecisionCodes.InvalidCall, Code(Five, "place_order", arguments));

    [Fact]
    public void Names_with_the_same_length_first_and_last_byte_are_told_apart()
    {
        // "a1z" and "a2z" share the cheap key; so do "ab" and "ab"-like pairs of one length.
        var evaluator = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[
              {"path":"args.a1z","op":"eq","value":1},{"path":"args.a2z","op":"eq","value":2}],"on_deny":"n"}]}}}
            """);
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "t", """{"a2z":2,"a1z":1}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "t", """{"a1z":2,"a2z":1}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "t", """{"a3z":1,"a2z":2}"""));
    }

    [Fact]
    public void A_plan_reading_more_names_than_one_pass_holds_looks_the_rest_up()
    {
        var names = Enumerable.Range(0, 12).Select(i => $"n{i:D2}").ToArray();
        var conditions = string.Join(",", names.Select((n, i) => $$"""{"path":"args.{{n}}","op":"eq","value":{{i}}}"""));
        var evaluator = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[""" + conditions + """],"on_deny":"n"}]}}}""");
        string All(int wrongAt) => "{" + string.Join(",", names.Select((n, i) => $"\"{n}\":{(i == wrongAt ? -1 : i)}")) + "}";

        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "t", All(-1)));
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "t", All(i)));
        }
    }

    [Fact]
    public void Nested_paths_and_limits_start_from_the_found_name()
    {
        var evaluator = Engine.For("""
            {"version":"1","default":"allow","tools":{"t":{
              "deny_if":[{"conditions":[{"path":"args.order.legs[1].qty","op":"gte","value":10}],"on_deny":"n"}],
              "limits":[{"max":5,"window":60,"cost":"args.amount","per":"args.account"}]}}}
            """);
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "t", """{"order":{"legs":[{"qty":1},{"qty":10}]},"amount":1,"account":"a"}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "t", """{"order":{"legs":[{"qty":1},{"qty":9}]},"amount":5,"account":"a"}"""));
        Assert.Equal(DecisionCodes.RateLimited, Code(evaluator, "t", """{"amount":1,"account":"a"}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "t", """{"amount":1,"account":"b"}"""));
        Assert.Equal(DecisionCodes.Indeterminate, Code(evaluator, "t", """{"account":"b"}"""));
    }

    [Fact]
    public void Glob_and_all_tools_blocks_find_their_names_in_every_plan()
    {
        var evaluator = Engine.For("""
            {"version":"1","default":"allow",
             "all_tools":{"deny_if":[{"conditions":[{"path":"args.env","op":"eq","value":"prod"}],"on_deny":"p"}]},
             "tools":{"svc_*":{"deny_if":[{"conditions":[{"path":"args.size","op":"gt","value":3}],"on_deny":"s"}]},
                      "exact":{"require":["args.id"]}}}
            """);
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "svc_a", """{"env":"prod","size":1}"""));
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "svc_a", """{"env":"dev","size":4}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "svc_a", """{"env":"dev","size":3}"""));
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "exact", """{"env":"prod","id":1}"""));
        Assert.Equal(DecisionCodes.RequirementFailed, Code(evaluator, "exact", """{"env":"dev"}"""));
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "other", """{"env":"prod"}"""));
    }

    [Fact]
    public void Tools_that_read_the_same_names_share_a_table_and_still_decide_alone()
    {
        var evaluator = Engine.For("""
            {"version":"1","default":"deny","tools":{
              "a":{"deny_if":[{"conditions":[{"path":"args.x","op":"eq","value":1},{"path":"args.y","op":"eq","value":2}],"on_deny":"a"}]},
              "b":{"deny_if":[{"conditions":[{"path":"args.x","op":"eq","value":3},{"path":"args.y","op":"eq","value":4}],"on_deny":"b"}]},
              "c":{"deny_if":[{"conditions":[{"path":"args.y","op":"eq","value":2},{"path":"args.x","op":"eq","value":1}],"on_deny":"c"}]}}}
            """);
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "a", """{"y":2,"x":1}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "b", """{"y":2,"x":1}"""));
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "b", """{"x":3,"y":4}"""));
        Assert.Equal(DecisionCodes.Denied, Code(evaluator, "c", """{"x":1,"y":2}"""));
        Assert.Equal(DecisionCodes.Allowed, Code(evaluator, "c", """{"x":1}"""));
    }

    [Theory]
    [InlineData("0", "F")]
    [InlineData("-0", "F")]
    [InlineData("100", "F")]
    [InlineData("101", "T")]
    [InlineData("-101", "F")]
    [InlineData("999999999999999999", "T")]
    [InlineData("9999999999999999999999", "T")]
    [InlineData("100.0000000000000000001", "T")]
    [InlineData("1e2", "F")]
    [InlineData("1.01e2", "T")]
    [InlineData("\"101\"", "T")]
    public void Integers_read_without_the_general_parser_compare_exactly(string quantity, string truth) =>
        Assert.Equal(truth, Engine.Truth("""{"path":"args.quantity","op":"gt","value":100}""", "{\"quantity\":" + quantity + "}"));
}
