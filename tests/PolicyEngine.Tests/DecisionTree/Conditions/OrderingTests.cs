using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.DecisionTree.Conditions;

/// <summary>
/// Ordering tests compare an integer value with an integer literal as longs, and everything else as exact
/// decimals. These pin that both ways give the decimal answer, at the edges of each.
/// </summary>
public class OrderingTests
{
    private static readonly string[] Ops = ["lt", "lte", "gt", "gte"];

    [Theory]
    [InlineData("100", "100")]
    [InlineData("100", "101")]
    [InlineData("100", "99")]
    [InlineData("-5", "-5")]
    [InlineData("-5", "-6")]
    [InlineData("0", "-0")]
    [InlineData("999999999999999999", "999999999999999999")]
    [InlineData("999999999999999999", "1000000000000000000")]
    [InlineData("-999999999999999999", "-1000000000000000000")]
    [InlineData("9223372036854775807", "9223372036854775806")]
    [InlineData("9223372036854775808", "9223372036854775807")]
    [InlineData("100.5", "100")]
    [InlineData("100.5", "101")]
    [InlineData("100", "100.0")]
    [InlineData("100", "1e2")]
    [InlineData("100", "\"101\"")]
    [InlineData("1e20", "99999999999999999999")]
    [InlineData("1e20", "100000000000000000001")]
    public void Integer_and_decimal_comparisons_agree(string literal, string value)
    {
        foreach (var op in Ops)
        {
            Assert.Equal(Expected(op, literal, value), Engine.Truth(Leaf(op, literal), "{\"v\":" + value + "}"));
        }
    }

    [Fact]
    public void Any_integer_against_any_literal_gives_the_decimal_answer()
    {
        var literal = Gen.Frequency(
            (3, WideNumbers.Integer()),
            (1, ArbMap.Default.GeneratorFor<int>().Select(i => (i / 4m).ToString(CultureInfo.InvariantCulture))),
            (1, Gen.Elements("9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e19", "0")));
        var value = Gen.Frequency(
            (3, WideNumbers.Integer()),
            (1, Gen.Elements("999999999999999999", "-999999999999999999", "1000000000000000000", "12.25", "-0", "7e1")));
        var cases = from l in literal from v in value from op in Gen.Elements(Ops) select (Op: op, Literal: l, Value: v);
        Prop.ForAll(cases.ToArbitrary(), c => Engine.Truth(Leaf(c.Op, c.Literal), "{\"v\":" + c.Value + "}") == Expected(c.Op, c.Literal, c.Value))
            .QuickCheckThrowOnFailure();
    }

    private static string Leaf(string op, string literal) => $$"""{"path":"args.v","op":"{{op}}","value":{{literal}}}""";

    private static string Expected(string op, string literal, string value)
    {
        decimal l = decimal.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        decimal v = decimal.Parse(value.Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture);
        int c = v.CompareTo(l);
        bool truth = op switch { "lt" => c < 0, "lte" => c <= 0, "gt" => c > 0, _ => c >= 0 };
        return truth ? "T" : "F";
    }
}
