using System.Text.Json;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

public class CallValidationTests
{
    private static readonly PolicyEvaluator AllowAll = Engine.For("""{"version":"1","default":"allow"}""");

    [Theory]
    [InlineData("")]
    [InlineData("transfer ")]
    [InlineData("trans\u200Bfer")]
    [InlineData("tr\u0430nsfer")]
    [InlineData("\uFF54ransfer")]
    [InlineData("a b")]
    [InlineData("a:b")]
    public void Names_outside_the_MCP_character_set_are_invalid(string name) =>
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall(name)).Code);

    [Fact]
    public void Names_are_1_to_128_characters()
    {
        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall(new string('x', 128))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall(new string('x', 129))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(default).Code);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("\"x\"")]
    [InlineData("""{"qty":1,"qty":-1}""")]
    [InlineData("""{"o":{"b":1,"b":1}}""")]
    [InlineData("""{"o":[{"a":{"c":1,"c":2}}]}""")]
    [InlineData("""{"qty":1,"q\u0074y":2}""")]
    [InlineData("""{"a\u0062":1,"ab":2}""")]
    public void Non_object_arguments_and_duplicate_keys_at_any_depth_are_invalid(string arguments)
    {
        var decision = AllowAll.Evaluate(new ToolCall("t", Engine.Json(arguments)));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall, (string?)null), (decision.Effect, decision.Code, decision.Rule));
    }

    [Fact]
    public void Duplicates_among_many_properties_are_found_without_quadratic_work()
    {
        var props = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":{i}"));
        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall("t", Engine.Json("{" + props + "}"))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", Engine.Json("{" + props + ",\"k4999\":0}"))).Code);
    }

    [Fact]
    public void Nesting_is_allowed_to_64_levels_and_no_deeper()
    {
        // The arguments object is level 1; each nested array adds one.
        static JsonElement Nested(int levels)
        {
            string inner = new string('[', levels - 1) + new string(']', levels - 1);
            return JsonDocument.Parse("{\"a\":" + inner + "}", new JsonDocumentOptions { MaxDepth = 10_000 }).RootElement.Clone();
        }

        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall("t", Nested(64))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", Nested(65))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", Nested(10_000))).Code);
    }

    [Fact]
    public void Size_limits_are_the_hosts()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow"}""", configure: o => { o.MaxArgumentValues = 10; o.MaxArgumentStringBytes = 8; });
        Assert.Equal(DecisionCodes.DefaultAllow, ev.Evaluate(new ToolCall("t", Engine.Json("""{"a":"12345678"}"""))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, ev.Evaluate(new ToolCall("t", Engine.Json("""{"a":"123456789"}"""))).Code);
        var eleven = "{" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"k{i}\":{i}")) + "}";
        Assert.Equal(DecisionCodes.InvalidCall, ev.Evaluate(new ToolCall("t", Engine.Json(eleven))).Code);
    }

    [Theory]
    [InlineData("""{"a":"12345678"}""")]
    [InlineData("""{"abcdefghij":1}""")]
    [InlineData("""{"a":[1,2,3,[4,[5]]],"b":{"c":{"d":"xyz"}}}""")]
    [InlineData("""{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6}""")]
    [InlineData("""{"s":"\u0041\u0042","t":"\\"}""")]
    public void Small_arguments_skip_counting_but_decide_as_if_counted(string arguments)
    {
        // Padding with whitespace past every cap forces the counting path; the compact text may skip it.
        var padded = arguments.Replace(",", new string(' ', 64) + ",", StringComparison.Ordinal) + new string(' ', 64);
        for (int values = 1; values <= 60; values++)
        {
            for (int bytes = 1; bytes <= 60; bytes++)
            {
                using var ev = Engine.For("""{"version":"1","default":"allow"}""", configure: o => { o.MaxArgumentValues = values; o.MaxArgumentStringBytes = bytes; });
                Assert.Equal(ev.Evaluate(new ToolCall("t", Engine.Json(padded))).Code, ev.Evaluate(new ToolCall("t", Engine.Json(arguments))).Code);
            }
        }
    }

    [Fact]
    public void Dictionary_arguments_decide_like_the_same_JSON_object()
    {
        using var ev = Engine.For("""{"version":"1","default":"deny","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.o.qty","op":"gt","value":5}]}],"require":["args.sym"]}}}""");
        foreach (var json in new[] { """{"sym":"a","o":{"qty":9}}""", """{"sym":"a","o":{"qty":1}}""", """{"o":{"qty":1}}""", """{"sym":"a","o":{"qty":"x"}}""", """{"sym":"a","o":{"q":1,"q":2}}""" })
        {
            var element = Engine.Json(json);
            var dict = new Dictionary<string, JsonElement>();
            foreach (var p in element.EnumerateObject())
            {
                dict[p.Name] = p.Value;
            }

            Assert.Equal(ev.Evaluate(new ToolCall("t", element)), ev.Evaluate(new ToolCall("t", dict)));
        }
    }
}
