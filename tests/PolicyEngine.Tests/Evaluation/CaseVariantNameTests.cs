using System.Text.Json;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// Spec §7 step 1: two names of one object that differ only in letter case (ordinal, ignoring case, as .NET's
/// OrdinalIgnoreCase) make the call invalid, at any depth and on every path through the validator.
/// </summary>
public sealed class CaseVariantNameTests
{
    private static readonly PolicyEvaluator AllowAll = Engine.For("""{"version":"1","default":"allow"}""");

    private const string TransferPolicy = """
        {"version":"1","default":"deny","tools":{"transfer":{
          "require":[{"path":"args.request.amount","op":"lte","value":100}],
          "deny_if":[{"conditions":[{"path":"args.request.to","op":"starts_with","value":"ext-"}]}]}}}
        """;

    [Fact]
    public void A_nested_object_with_case_variant_names_cannot_slip_a_second_amount_past_the_policy()
    {
        using var ev = Engine.For(TransferPolicy);
        var d = ev.Evaluate(Engine.Call("transfer", """{"request":{"amount":1,"AMOUNT":5000,"to":"acct-1","TO":"ext-evil"}}"""));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall, (string?)null), (d.Effect, d.Code, d.Rule));
        Assert.Contains("'amount' and 'AMOUNT'", d.Message, StringComparison.Ordinal);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("transfer", """{"request":{"amount":1,"to":"acct-1"}}""")).Code);
    }

    [Theory]
    [InlineData("""{"amount":1,"AMOUNT":2}""", "amount", "AMOUNT")] // flat: scalars only, no escape
    [InlineData("""{"amount":1,"Amount":[2]}""", "amount", "Amount")] // general walk
    [InlineData("""{"legs":[{"qty":1},{"qty":1,"QTY":1}]}""", "qty", "QTY")] // an array of objects
    [InlineData("""{"a":{"b":{"c":[[{"dD":1,"Dd":1}]]}}}""", "dD", "Dd")]
    [InlineData("""{"amount":1,"\u0041MOUNT":2}""", "amount", "AMOUNT")] // an escaped name
    [InlineData("""{"o":{"x":{},"\u0058":1}}""", "x", "X")]
    [InlineData("""{"café":1,"CAFÉ":2}""", "café", "CAFÉ")] // non-ASCII letters
    [InlineData("""{"straße":1,"STRAßE":2}""", "straße", "STRAßE")]
    [InlineData("""{"\ud801\udc00":1,"\ud801\udc28":2}""", "\U00010400", "\U00010428")] // a case pair outside the BMP
    public void Names_differing_only_in_letter_case_are_invalid_and_named(string arguments, string first, string second)
    {
        var d = AllowAll.Evaluate(new ToolCall("t", Engine.Json(arguments)));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall, (string?)null), (d.Effect, d.Code, d.Rule));
        Assert.Contains($"'{first}' and '{second}'", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"i":1,"İ":2}""")] // Turkish dotted capital I is not a case of 'i' under ordinal rules
    [InlineData("""{"I":1,"ı":2}""")] // nor dotless i of 'I'
    [InlineData("""{"s":1,"ſ":2}""")] // long s is not 's'
    [InlineData("""{"k":1,"\u212A":2}""")] // Kelvin sign is not 'k'
    [InlineData("{\"k\":1,\"\u212A\":2}")] // the same, unescaped in the JSON text
    [InlineData("""{"a@":1,"a`":2,"[":3,"{":4}""")] // bytes that differ in bit 0x20 but are not letters
    [InlineData("""{"ab":1,"aB ":2,"a":{"n":1},"b":{"N":1}}""")] // other lengths; names in different objects
    [InlineData("""{"x":[{"n":1},{"N":1}]}""")] // objects of one array are separate objects
    public void Names_equal_only_under_culture_rules_or_in_different_objects_stay_valid(string arguments) =>
        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall("t", Engine.Json(arguments))).Code);

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(5000)]
    public void Case_variants_among_many_names_are_found_with_bounded_work(int count)
    {
        var props = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"key{i}\":{i}"));
        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall("t", Engine.Json("{" + props + "}"))).Code);
        var d = AllowAll.Evaluate(new ToolCall("t", Engine.Json("{" + props + ",\"KEY0\":0}")));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
        Assert.Contains("'key0' and 'KEY0'", d.Message, StringComparison.Ordinal);
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", Engine.Json("{" + props + ",\"k\u00e9y\":0,\"K\u00c9Y\":0}"))).Code);
    }

    [Fact]
    public void Dictionary_arguments_with_case_variant_keys_are_invalid_at_the_top_and_below()
    {
        var top = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["amount"] = Engine.Json("1"), ["AMOUNT"] = Engine.Json("5000") };
        var d = AllowAll.Evaluate(new ToolCall("t", top));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
        Assert.Contains("'amount' and 'AMOUNT'", d.Message, StringComparison.Ordinal);

        var many = Enumerable.Range(0, 40).ToDictionary(i => $"key{i}", i => Engine.Json("1"), StringComparer.Ordinal);
        Assert.Equal(DecisionCodes.DefaultAllow, AllowAll.Evaluate(new ToolCall("t", many)).Code);
        many["KEY39"] = Engine.Json("2");
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", many)).Code);

        IDictionary<string, JsonElement> nested = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal) { ["o"] = Engine.Json("""{"to":1,"To":2}""") };
        Assert.Equal(DecisionCodes.InvalidCall, AllowAll.Evaluate(new ToolCall("t", nested)).Code);
    }

    [Fact]
    public void A_very_long_colliding_name_is_cut_in_the_message()
    {
        var name = new string('a', 10_000);
        var d = AllowAll.Evaluate(new ToolCall("t", Engine.Json($"{{\"{name}\":1,\"{name.ToUpperInvariant()}\":2}}")));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
        Assert.True(d.Message!.Length < 400, d.Message);
    }
}
