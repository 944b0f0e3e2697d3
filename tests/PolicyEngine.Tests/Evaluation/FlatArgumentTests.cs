using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// Arguments that hold only scalars and no escape (most tool calls) are validated without reading each value's
/// kind. These pin that this shortcut decides exactly as the general walk: the same text padded past the host's
/// caps takes the general, counting walk, and a name is a duplicate exactly when its decoded text repeats.
/// </summary>
public class FlatArgumentTests
{
    // Names that share the validator's cheap key (length, first and last byte) in pairs, so that equal keys
    // must be told apart by their bytes; and escaped spellings of some of them.
    private static readonly string[] Names = ["a1z", "a2z", "a3z", "ab", "aab", "abb", "side", "sine", "qty", "x"];
    private static readonly string[] Escaped = ["\\u0061\\u0031z", "a\\u0032z", "si\\u0064e", "q\\u0074y"];
    private static readonly string[] Values = ["1", "2", "-7", "250", "1.5", "1e2", "true", "false", "null", "\"sell\"", "\"buy\"", "\"2\"", "\"a b\"", "\"\""];

    private const string Policy = """
        {"version":"1","default":"deny","tools":{"t":{
          "require":["args.x"],
          "deny_if":[{"conditions":[{"path":"args.a1z","op":"eq","value":1},{"path":"args.side","op":"eq","value":"sell"}],"on_deny":"d1"},
                     {"conditions":[{"path":"args.qty","op":"gt","value":100}],"on_deny":"d2"},
                     {"conditions":[{"path":"args.a2z","op":"in","value":[2,"2"]},{"path":"args.ab","op":"starts_with","value":"s"}],"on_deny":"d3"}]
        }}}
        """;

    private static readonly PolicyEvaluator Small = Engine.For(Policy, configure: o => { o.MaxArgumentValues = 400; o.MaxArgumentStringBytes = 400; });
    private static readonly PolicyEvaluator Default = Engine.For(Policy);

    [Fact]
    public void Flat_arguments_decide_as_the_general_walk_and_find_every_duplicate()
    {
        var name = Gen.Frequency(
            (9, Gen.Elements(Names).Select(n => (Raw: n, Decoded: n))),
            (1, Gen.Elements(Escaped).Select(e => (Raw: e, Decoded: Decode(e)))));
        var members =
            from count in Gen.Choose(0, 14)
            from names in Gen.ArrayOf(name, count)
            from values in Gen.ArrayOf(Gen.Elements(Values), count)
            select names.Select((n, i) => (n.Raw, n.Decoded, Value: values[i])).ToArray();

        Prop.ForAll(members.ToArbitrary(), props =>
        {
            string compact = "{" + string.Join(",", props.Select(p => $"\"{p.Raw}\":{p.Value}")) + "}";

            // Past both caps (400) only by white space: the general walk counts values and strings, within the caps.
            string padded = "{" + string.Join(",", props.Select(p => $"\"{p.Raw}\"  :  {p.Value}" + new string(' ', 40))) + new string(' ', 400) + "}";
            var flat = Small.Evaluate(new ToolCall("t", Engine.Json(compact)));
            var general = Small.Evaluate(new ToolCall("t", Engine.Json(padded)));
            bool repeats = props.Select(p => p.Decoded).Distinct(StringComparer.Ordinal).Count() < props.Length;
            return flat.Equals(general) && (flat.Code == DecisionCodes.InvalidCall) == repeats;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(200)]
    public void Duplicates_are_found_before_and_after_the_pairwise_limit(int count)
    {
        // k000 … share their length, first and last byte in tens: many equal keys, no equal names.
        var names = Enumerable.Range(0, count).Select(i => $"k{i:D3}").ToList();
        string Args(IEnumerable<string> ns) => "{" + string.Join(",", ns.Select(n => $"\"{n}\":1")) + ",\"x\":1}";
        Assert.Equal(DecisionCodes.Allowed, Default.Evaluate(new ToolCall("t", Engine.Json(Args(names)))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, Default.Evaluate(new ToolCall("t", Engine.Json(Args(names.Append(names[count / 2]))))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, Default.Evaluate(new ToolCall("t", Engine.Json(Args(names.Prepend(names[^1]))))).Code);
    }

    [Theory]
    [InlineData("""{"x":1,"qty":101,"note":"{not an object}"}""", DecisionCodes.Denied)]
    [InlineData("""{"x":1,"qty":101,"note":"[1,2]"}""", DecisionCodes.Denied)]
    [InlineData("""{"x":1,"qty":99,"o":{"qty":101}}""", DecisionCodes.Allowed)]
    [InlineData("""{"x":1,"qty":99,"o":{"k":1,"k":2}}""", DecisionCodes.InvalidCall)]
    [InlineData("""{"x":1,"qty":99,"l":[{"k":1,"k":2}]}""", DecisionCodes.InvalidCall)]
    public void Brackets_in_strings_and_nested_containers_take_the_general_walk(string arguments, string expected) =>
        Assert.Equal(expected, Small.Evaluate(new ToolCall("t", Engine.Json(arguments))).Code);

    [Fact]
    public void Comments_and_trailing_commas_the_host_let_through_do_not_change_the_decision()
    {
        // A host may parse arguments leniently; the engine reads the values the document holds, not the text around them.
        var lenient = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        foreach (var (text, expected) in new[]
        {
            ("{\"x\":1, /* c { */ \"qty\": /* [ */ 101, // \"side\":\"sell\"\n}", DecisionCodes.Denied),
            ("""{"x":1,"qty":99, /* a duplicate */ "qty":1,}""", DecisionCodes.InvalidCall),
            ("""{"x":1,/*"qty":101,*/"a1z":1,"side":"sell",}""", DecisionCodes.Denied),
        })
        {
            using var doc = JsonDocument.Parse(text, lenient);
            Assert.Equal(expected, Small.Evaluate(new ToolCall("t", doc.RootElement)).Code);
        }
    }

    private static string Decode(string escaped) => JsonSerializer.Deserialize<string>("\"" + escaped + "\"")!;
}
