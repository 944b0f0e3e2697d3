using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "Regex" (lines 13–14).</summary>
public sealed class RegexTests
{
    private static string RegexPolicy(string pattern) =>
        """{"version":"1","default":"allow","tools":{"x":{"deny_if":[{"conditions":[{"path":"args.a","op":"regex","value":""" + System.Text.Json.JsonSerializer.Serialize(pattern) + """}],"on_deny":"n"}]}}}""";

    [Fact]
    public void Line13_CatastrophicPatternOnLongInput_IsDecided()
    {
        // With a backtracking engine this input takes exponential time; NonBacktracking decides it in one pass.
        var policy = RegexPolicy("(a+)+$");
        Assert.Equal(DecisionCodes.Allowed, Decide(policy, Call("x", "{\"a\":\"" + new string('a', 50_000) + "!\"}")).Code);
        Assert.Equal(DecisionCodes.Denied, Decide(policy, Call("x", "{\"a\":\"" + new string('a', 50_000) + "\"}")).Code);
    }

    [Theory]
    [InlineData("(a)\\1")]
    [InlineData("(?=a)b")]
    [InlineData("(?!a)b")]
    [InlineData("(?<=a)b")]
    [InlineData("(?<!a)b")]
    [InlineData("(?>a+)b")]
    [InlineData("(?<n>a)\\k<n>")]
    public void Line14_PatternNeedingBacktracking_IsRejectedAtLoad(string pattern)
    {
        Assert.False(Policy.TryParse(RegexPolicy(pattern), out var policy, out var errors));
        Assert.Null(policy);
        Assert.Contains(errors, e => e.Pointer == "/tools/x/deny_if/0/conditions/0/value");
    }

    [Fact]
    public void Line14_InvalidRegexSyntax_IsRejectedAtLoad()
    {
        Assert.False(Policy.TryParse(RegexPolicy("(unclosed"), out _, out var errors));
        Assert.Contains(errors, e => e.Pointer == "/tools/x/deny_if/0/conditions/0/value");
    }
}
