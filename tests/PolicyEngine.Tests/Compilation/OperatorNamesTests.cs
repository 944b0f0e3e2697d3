using PolicyEngine.Compilation;

namespace PolicyEngine.Tests.Compilation;

/// <summary>The operator list is the compiler's: every name in it compiles, and the unknown-operator message names them all.</summary>
public sealed class OperatorNamesTests
{
    private static string Condition(string op)
    {
        string value = op switch
        {
            "in" or "not_in" => "[\"a\"]",
            "lt" or "lte" or "gt" or "gte" => "5",
            "exists" => "true",
            _ => "\"a\"",
        };
        string ignoreCase = OperatorNames.StringComparing.Contains(op) ? ",\"ignore_case\":true" : "";
        return "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"t\":{\"deny_if\":[{\"conditions\":[{\"path\":\"args.a\",\"op\":\"" + op + "\",\"value\":" + value + ignoreCase + "}]}]}}}";
    }

    [Fact]
    public void Every_listed_operator_compiles_and_ignore_case_goes_only_with_string_operators()
    {
        foreach (var op in OperatorNames.All)
        {
            Assert.True(Policy.TryParse(System.Text.Encoding.UTF8.GetBytes(Condition(op)), out _, out var errors), op + ": " + string.Join("; ", errors));
        }

        Assert.False(Policy.TryParse("""{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"lt","value":5,"ignore_case":true}]}]}}}"""u8, out _, out _));
    }

    [Fact]
    public void The_unknown_operator_message_names_every_operator()
    {
        Assert.False(Policy.TryParse("""{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"like","value":"a"}]}]}}}"""u8, out _, out var errors));
        var message = Assert.Single(errors).Message;
        Assert.All(OperatorNames.All, op => Assert.Contains(op, message, StringComparison.Ordinal));
    }
}
