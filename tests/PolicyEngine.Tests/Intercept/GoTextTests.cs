using PolicyEngine.Intercept;

namespace PolicyEngine.Tests.Intercept;

/// <summary>Go's %v text of a YAML number: what Intercept compares a string argument with.</summary>
public class GoTextTests
{
    [Theory]
    [InlineData("5", "5")] // a YAML integer: a Go int
    [InlineData("-0", "0")]
    [InlineData("1000000", "1000000")]
    [InlineData("5.0", "5")] // a float64: the shortest 'g'
    [InlineData("123456.0", "123456")]
    [InlineData("1000000.0", "1e+06")] // an exponent from 6 up
    [InlineData("1234567.5", "1.2345675e+06")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")] // and below -4
    [InlineData("1.5e300", "1.5e+300")]
    [InlineData("-0.0", "-0")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e400", null)] // not a finite double: not translated
    public void A_yaml_number_prints_as_go_prints_it(string raw, string? expected) => Assert.Equal(expected, GoText.Of(raw));

    [Theory]
    [InlineData("5", "5")]
    [InlineData("1000000", "1e+06")] // a JSON argument is always a float64 there
    public void A_json_argument_prints_as_a_float64(string raw, string expected) => Assert.Equal(expected, GoText.OfFloat(raw));
}
