using System.Text;
using System.Text.Json;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "Arguments" (lines 4–12).</summary>
public sealed class ArgumentTests
{
    private const string AllowAll = """{"version":"1","default":"allow"}""";

    private const string AmountOver10000 = """
        {"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"gt","value":10000}],"on_deny":"big"}]}}}
        """;

    private static string DenyIf(string path, string op, string literal) =>
        """{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":""" + "\"" + path + "\",\"op\":\"" + op + "\",\"value\":" + literal + """}],"on_deny":"hit"}]}}}""";

    [Theory]
    [InlineData("""{"qty":1,"qty":-1}""")]
    [InlineData("""{"order":{"qty":1,"qty":-1}}""")]
    [InlineData("""{"legs":[{"qty":1},{"qty":1,"qty":1}]}""")]
    [InlineData("""{"qty":1,"\u0071ty":-1}""")]
    [InlineData("""{"a":{"b":{"c":[[{"d":1,"d":1}]]}}}""")]
    public void Line04_DuplicateKeyAtAnyDepth_IsInvalidCall(string args)
    {
        var d = Decide(AllowAll, Call("t", args));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall), (d.Effect, d.Code));
    }

    [Fact]
    public void Line04_DuplicateKeyInsideDictionaryArguments_IsInvalidCall()
    {
        var args = new Dictionary<string, JsonElement> { ["order"] = JsonArg("""{"qty":1,"qty":-1}""") };
        using var engine = Engine(AllowAll);
        Assert.Equal(DecisionCodes.InvalidCall, engine.Evaluate(new ToolCall("t", args)).Code);
    }

    [Fact]
    public void Line05_LookupIsCaseSensitive_AndKeysDifferingOnlyInCaseAreInvalidCall()
    {
        // The policy-language spec §7 step 1 (issue 19) supersedes "two different keys": a binder that ignores
        // case would read both as one parameter, so such a call never reaches the rules.
        Assert.Equal(DecisionCodes.Allowed, Decide(DenyIf("args.symbol", "eq", "\"BTC\""), Call("t", """{"Symbol":"BTC"}""")).Code);
        Assert.Equal(DecisionCodes.Denied, Decide(DenyIf("args.Symbol", "eq", "\"BTC\""), Call("t", """{"Symbol":"BTC"}""")).Code);
        var d = Decide(DenyIf("args.symbol", "eq", "\"ETH\""), Call("t", """{"Symbol":"BTC","symbol":"ETH"}"""));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall), (d.Effect, d.Code));
    }

    [Fact]
    public void Line06_TenThousandNestedArrays_IsInvalidCall_WithoutStackOverflow()
    {
        var d = Decide(AllowAll, Call("t", "{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
    }

    [Fact]
    public void Line06_DepthLimitIs64Levels_ArgumentsObjectIsLevel1()
    {
        // {"a": [ … ] } with the object at level 1 and 63 / 64 nested arrays.
        static string Nest(int levels) => "{\"a\":" + new string('[', levels - 1) + new string(']', levels - 1) + "}";
        Assert.Equal(DecisionCodes.DefaultAllow, Decide(AllowAll, Call("t", Nest(64))).Code);
        Assert.Equal(DecisionCodes.InvalidCall, Decide(AllowAll, Call("t", Nest(65))).Code);
    }

    [Fact]
    public void Line07_TenMegabyteString_IsInvalidCall_UnderTheDefaultCap()
    {
        var d = Decide(AllowAll, Call("t", "{\"a\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
    }

    [Fact]
    public void Line07_TenMegabyteString_IsDecided_WhenTheHostRaisesTheCap()
    {
        using var engine = Engine(DenyIf("args.a", "starts_with", "\"xx\""), configure: o => o.MaxArgumentStringBytes = 16 * 1024 * 1024);
        Assert.Equal(DecisionCodes.Denied, engine.Evaluate(Call("t", "{\"a\":\"" + new string('x', 10 * 1024 * 1024) + "\"}")).Code);
    }

    [Fact]
    public void Line07_MillionKeys_IsInvalidCall_UnderTheDefaultValueCap()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < 1_000_000; i++) sb.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append("\":0");
        var d = Decide(AllowAll, Call("t", sb.Append('}').ToString()));
        Assert.Equal(DecisionCodes.InvalidCall, d.Code);
    }

    [Fact]
    public void Line08_ManyDigitsBeyondDouble_ComparedExactly()
    {
        // As a double this is exactly 10000 and would not be > 10000.
        Assert.Equal(DecisionCodes.Denied, Decide(AmountOver10000, Call("t", """{"a":10000.0000000000000000001}""")).Code);
        Assert.Equal(DecisionCodes.Allowed, Decide(AmountOver10000, Call("t", """{"a":10000.0000000000000000000}""")).Code);
    }

    [Fact]
    public void Line08_IntegerAbove2Pow53_ComparedExactly()
    {
        // 9007199254740993 rounds to 9007199254740992 as a double.
        var policy = DenyIf("args.a", "eq", "9007199254740992");
        Assert.Equal(DecisionCodes.Allowed, Decide(policy, Call("t", """{"a":9007199254740993}""")).Code);
        Assert.Equal(DecisionCodes.Denied, Decide(policy, Call("t", """{"a":9007199254740992}""")).Code);
        Assert.Equal(DecisionCodes.Allowed, Decide(policy, Call("t", """{"a":"9007199254740993"}""")).Code);
    }

    [Fact]
    public void Line08_NegativeZero_EqualsZero()
    {
        Assert.Equal(DecisionCodes.Denied, Decide(DenyIf("args.a", "eq", "0"), Call("t", """{"a":-0}""")).Code);
        Assert.Equal(DecisionCodes.Denied, Decide(DenyIf("args.a", "eq", "-0"), Call("t", """{"a":0.0}""")).Code);
    }

    [Theory]
    [InlineData("1e400", "gt", DecisionCodes.Denied)]
    [InlineData("1e400", "lt", DecisionCodes.Allowed)]
    [InlineData("-1e400", "lt", DecisionCodes.Denied)]
    [InlineData("1e-400", "gt", DecisionCodes.Allowed)] // 1e-400 > 10000 is false
    public void Line08_HugeExponent_IsExactOrIndeterminate_NeverRounded(string number, string op, string exactAnswer)
    {
        var d = Decide(DenyIf("args.a", op, "10000"), Call("t", "{\"a\":" + number + "}"));
        Assert.Contains(d.Code, new[] { exactAnswer, DecisionCodes.Indeterminate });
    }

    [Fact]
    public void Line08_TinyValueIsNotZero()
    {
        // 1e-400 rounds to 0 as a double (and in System.Decimal parsing): it must not equal 0.
        var d = Decide(DenyIf("args.a", "eq", "0"), Call("t", """{"a":1e-400}"""));
        Assert.Contains(d.Code, new[] { DecisionCodes.Allowed, DecisionCodes.Indeterminate });
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\" 100\"")]
    [InlineData("\"0x10\"")]
    [InlineData("\"1,000\"")]
    [InlineData("\"100 \"")]
    [InlineData("\"+100\"")]
    [InlineData("\"1e400x\"")]
    public void Line09_NonNumericStringsWhereNumberCompared_AreIndeterminate(string value)
    {
        var d = Decide(DenyIf("args.a", "gt", "10"), Call("t", "{\"a\":" + value + "}"));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.Indeterminate, "/tools/t/deny_if/0"), (d.Effect, d.Code, d.Rule));
    }

    [Theory]
    [InlineData("[1e6]")]
    [InlineData("{}")]
    [InlineData("true")]
    public void Line10_ArrayObjectOrBooleanWhereNumberCompared_IsIndeterminate(string value)
    {
        var d = Decide(DenyIf("args.a", "gt", "10"), Call("t", "{\"a\":" + value + "}"));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.Indeterminate), (d.Effect, d.Code));
    }

    [Fact]
    public void Line11_LoneSurrogateInUnreadValue_NoCrash()
    {
        var d = Decide(DenyIf("args.a", "eq", "\"x\""), Call("t", """{"b":"\ud800","c":["\udc00x"]}"""));
        Assert.Equal(DecisionCodes.Allowed, d.Code);
    }

    [Theory]
    [InlineData("""{"\udc00":1}""")]
    [InlineData("""{"c":{"\ud800":1}}""")]
    public void Line11_LoneSurrogateInAPropertyName_NoCrash(string args)
    {
        // The name is not read by the policy; invalid_call (not valid Unicode) or a normal decision are both fine.
        var d = Decide(DenyIf("args.a", "eq", "\"x\""), Call("t", args));
        Assert.Contains(d.Code, new[] { DecisionCodes.Allowed, DecisionCodes.InvalidCall });
    }

    // "x\ud800" starts with, matches ^x and contains "x", but is neither "x" nor in ["x","y"]. A clean comparison
    // gives exactly that answer; indeterminate (a deny) is the other answer the spec allows. Allowed where the
    // clean answer is "matches" would be fail-open, so each operator has its own set.
    [Theory]
    [InlineData("eq", "\"x\"", false)]
    [InlineData("starts_with", "\"x\"", true)]
    [InlineData("regex", "\"^x\"", true)]
    [InlineData("contains", "\"x\"", true)]
    [InlineData("in", "[\"x\",\"y\"]", false)]
    public void Line11_LoneSurrogateInReadValue_IsIndeterminateOrClean(string op, string literal, bool matches)
    {
        var d = Decide(DenyIf("args.a", op, literal), Call("t", """{"a":"x\ud800"}"""));
        var clean = matches ? DecisionCodes.Denied : DecisionCodes.Allowed;
        Assert.Contains(d.Code, new[] { DecisionCodes.Indeterminate, clean });
    }

    [Theory]
    [InlineData("""{"amount":5,"approved":true}""")]
    [InlineData("""{"amount":5,"_meta":{"approved":true}}""")]
    public void Line12_ApprovedFlagInArguments_HasNoEffect(string args)
    {
        using var engine = Engine("""{"version":"1","default":"deny","tools":{"withdraw":{"action":"require_approval"}}}""");
        var first = engine.Evaluate(Call("withdraw", args, "s1"));
        var again = engine.Evaluate(Call("withdraw", args, "s1"));
        Assert.Equal(DecisionCodes.ApprovalRequired, first.Code);
        Assert.Equal(DecisionCodes.ApprovalRequired, again.Code);
    }
}
