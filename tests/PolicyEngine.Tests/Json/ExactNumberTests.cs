using PolicyEngine.Json;

namespace PolicyEngine.Tests.Json;

public class ExactNumberTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("1.50", "1.5")]
    [InlineData("2e4", "20000")]
    [InlineData("2E+4", "20000")]
    [InlineData("12.5e-1", "1.25")]
    [InlineData("9007199254740993", "9007199254740993")]
    [InlineData("10000.0000000000000000001", "10000.0000000000000000001")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("1000000000000000000000000000e-10", "100000000000000000")]
    [InlineData("-123.456", "-123.456")]
    public void Parses_exactly(string text, string expected)
    {
        Assert.Equal(NumberStatus.Exact, ExactNumber.Parse(text.AsSpan(), out decimal value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("1e-29")]
    [InlineData("12345678901234567890123456789")]
    [InlineData("1.2345678901234567890123456789")]
    public void Out_of_exact_range_is_reported_not_rounded(string text) =>
        Assert.Equal(NumberStatus.OutOfRange, ExactNumber.Parse(text.AsSpan(), out _));

    [Theory]
    [InlineData("")]
    [InlineData(" 2")]
    [InlineData("2 ")]
    [InlineData("0x10")]
    [InlineData("1,000")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("+1")]
    [InlineData("007")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e")]
    [InlineData("-")]
    [InlineData("１")]
    public void Text_that_is_not_exactly_a_JSON_number_is_not_a_number(string text) =>
        Assert.Equal(NumberStatus.NotANumber, ExactNumber.Parse(text.AsSpan(), out _));

    [Fact]
    public void Bytes_and_chars_agree()
    {
        foreach (var text in new[] { "1.25", "-0", "1e400", "abc", "2e4" })
        {
            var fromChars = ExactNumber.Parse(text.AsSpan(), out decimal a);
            var fromBytes = ExactNumber.Parse(System.Text.Encoding.UTF8.GetBytes(text).AsSpan(), out decimal b);
            Assert.Equal(fromChars, fromBytes);
            Assert.Equal(a, b);
        }
    }
}
