using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.TestSupport;
using PolicyEngine.Arguments;

namespace PolicyEngine.Tests.Limits;

/// <summary>
/// A <c>per</c> value's counter key is built on the stack for common values: it must be exactly the canonical
/// JSON the allocating path builds, so that equal values share one counter whichever path built their key.
/// </summary>
public class ValueKeyTests
{
    private static string? StackKey(ArgValue value)
    {
        Span<char> buffer = stackalloc char[128];
        return value.TryWriteCanonical(buffer, out int written) ? buffer[..written].ToString() : null;
    }

    [Theory]
    [InlineData("\"acct-42\"", true)]
    [InlineData("\"\"", true)]
    [InlineData("\"caf\u00e9 \u20ac \ud83d\ude00\"", true)]
    [InlineData("\"a\\u0062c\"", false)]
    [InlineData("\"tab\\there\"", false)]
    [InlineData("0", true)]
    [InlineData("-7", true)]
    [InlineData("123456789012345", true)]
    [InlineData("1234567890123456", false)]
    [InlineData("-0", false)]
    [InlineData("5.0", false)]
    [InlineData("5e0", false)]
    [InlineData("1e2", false)]
    [InlineData("12.5", false)]
    [InlineData("true", false)]
    [InlineData("{\"a\":1}", false)]
    public void The_stack_key_is_the_canonical_key_or_nothing(string json, bool onStack)
    {
        var value = ArgValue.FromJson(Engine.Json(json));
        string? key = StackKey(value);
        Assert.Equal(onStack, key is not null);
        if (key is not null)
        {
            Assert.Equal(value.ToCanonical(), key);
        }
    }

    [Fact]
    public void Any_string_or_number_gets_the_same_key_on_both_paths()
    {
        var chars = Gen.Elements('a', 'Z', '0', ' ', '"', '\\', '/', '\t', '\u0001', '\u007f', '\u00e9', '\u2028', '\ud83d', '\ude00');
        Prop.ForAll(chars.ArrayOf().Select(cs => new string(cs)).ToArbitrary(), s =>
        {
            var fromText = ArgValue.FromText(s);
            var fromJson = ArgValue.FromJson(Engine.Json(JsonSerializer.Serialize(s)));
            return SameOrNone(fromText) && SameOrNone(fromJson);
        }).QuickCheckThrowOnFailure();

        Prop.ForAll(WideNumbers.Integer().ToArbitrary(), n => SameOrNone(ArgValue.FromJson(Engine.Json(n)))).QuickCheckThrowOnFailure();
    }

    private static bool SameOrNone(ArgValue value) => StackKey(value) is not { } key || key == value.ToCanonical();

    [Fact]
    public void Equal_values_share_one_counter_whichever_path_built_the_key()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.account"}]}}}""");
        Assert.True(ev.Evaluate(Engine.Call("t", """{"account":"abc"}""")).IsAllowed);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", """{"account":"a\u0062c"}""")).Code);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"account":"abd"}""")).IsAllowed);

        Assert.True(ev.Evaluate(Engine.Call("t", """{"account":5}""")).IsAllowed);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", """{"account":5.0}""")).Code);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", """{"account":5e0}""")).Code);
        Assert.True(ev.Evaluate(Engine.Call("t", """{"account":"5"}""")).IsAllowed); // the string "5" is another value
    }

    [Theory]
    [InlineData("1e400", "1E400", "1e+400", "10e399", "0.1e401")]
    [InlineData("123456789012345678901234567890e1000", "1.23456789012345678901234567890e1029", "1.2345678901234567890123456789e+1029", "12345678901234567890123456789e1001", "123456789012345678901234567890e1000")]
    public void Numbers_beyond_double_range_share_a_counter_exactly_when_their_values_are_equal(string first, string a, string b, string c, string d)
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.n"}]}}}""");
        Assert.True(ev.Evaluate(Engine.Call("t", "{\"n\":" + first + "}")).IsAllowed);
        foreach (var same in new[] { a, b, c, d })
        {
            Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", "{\"n\":" + same + "}")).Code);
        }

        Assert.True(ev.Evaluate(Engine.Call("t", "{\"n\":" + first.Replace("e", "1e", StringComparison.Ordinal) + "}")).IsAllowed); // another value
        Assert.Equal(2, ev.TrackedLimitKeys);
    }

    [Fact]
    public void Long_values_are_keyed_by_digest_and_still_count_apart()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.memo"}]}}}""");
        string a = new('a', 100_000), b = a[..^1] + "b";
        Assert.True(ev.Evaluate(Engine.Call("t", "{\"memo\":\"" + a + "\"}")).IsAllowed);
        Assert.True(ev.Evaluate(Engine.Call("t", "{\"memo\":\"" + b + "\"}")).IsAllowed);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", "{\"memo\":\"" + a + "\"}")).Code);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("t", "{\"memo\":\"" + a[..^1] + "\\u0061\"}")).Code);

        // A short value that looks like a digest key is digested too, so it cannot take a long value's counter.
        var digestOfA = PolicyEngine.Json.CompactKey.Digest("\"" + a + "\"");
        Assert.True(ev.Evaluate(new ToolCall("t", Engine.Json("{\"memo\":" + System.Text.Json.JsonSerializer.Serialize(digestOfA) + "}"))).IsAllowed);
        Assert.Equal(3, ev.TrackedLimitKeys);
    }

    [Fact]
    public void A_counter_for_a_megabyte_value_keeps_a_key_of_constant_size()
    {
        var key = LimitKey("{\"memo\":\"" + new string('m', 1_000_000) + "\"}");
        Assert.Equal(PolicyEngine.Json.CompactKey.DigestLength, key.Length);
        Assert.Equal("\"short\"", LimitKey("{\"memo\":\"short\"}"));
    }

    private static string LimitKey(string argumentsJson)
    {
        var policy = Policy.Parse("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":"1h","per":"args.memo"}]}}}""");
        var limit = policy.Compiled.Limits[0];
        var call = Engine.Call("t", argumentsJson);
        Span<char> buffer = stackalloc char[PolicyEngine.DecisionTree.LimitDefinition.LongestPlainKey];
        return limit.ValueKey(new PolicyEngine.Arguments.EvalContext(in call), buffer).ToString();
    }

    [Fact]
    public void A_per_value_limit_decides_without_allocating()
    {
        using var ev = Engine.For("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1000000,"window":"1h","per":"args.account"}]}}}""");
        var byString = Engine.Call("t", """{"account":"acct-42","amount":3}""");
        var byNumber = Engine.Call("t", """{"account":90210,"amount":3}""");
        for (int i = 0; i < 100; i++)
        {
            ev.Evaluate(in byString);
            ev.Evaluate(in byNumber);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(ev.Evaluate(in byString).IsAllowed);
            Assert.True(ev.Evaluate(in byNumber).IsAllowed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
