using PolicyEngine.Json;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Json;

public class CanonicalJsonTests
{
    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("-0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("123e-20", "1.23e-18")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("-1.5e+30", "-1.5e+30")]
    public void Numbers_follow_ECMAScript(string json, string expected) =>
        Assert.Equal(expected, CanonicalJson.Serialize(Engine.Json(json)));

    [Fact]
    public void Members_sort_by_UTF16_code_units_and_whitespace_goes()
    {
        // RFC 8785 §3.2.3: "\u20ac" (€) sorts before "\ud83d\ude00" (😀) by UTF-16, not by code point order of UTF-8.
        var value = Engine.Json("""{ "b": [1, {"z": true, "a": null}], "a": "x", "\u20ac": 1, "\ud83d\ude00": 2, "A": 0 }""");
        Assert.Equal("""{"A":0,"a":"x","b":[1,{"a":null,"z":true}],"€":1,"😀":2}""", CanonicalJson.Serialize(value));
    }

    [Fact]
    public void Strings_escape_only_what_they_must()
    {
        var value = Engine.Json("\"q\\\"b\\\\ \\u0001 \\n é \\u2028 /\"");
        Assert.Equal("\"q\\\"b\\\\ \\u0001 \\n é \u2028 /\"", CanonicalJson.Serialize(value));
    }

    [Fact]
    public void Pin_of_the_conformance_definition_matches_the_published_hash()
    {
        var definition = Engine.Json("""{"name": "transfer", "description": "Move funds between accounts.", "inputSchema": {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0}}, "required": ["amount"]}}""");
        Assert.Equal("sha256:0312bae47b607f457558b90ea35288014b3a11901121db60fd6e4e85db71e56b", ToolPin.Compute(definition));
        Assert.Equal(ToolPin.Compute(definition), ToolPin.Compute("transfer", "Move funds between accounts.", definition.GetProperty("inputSchema")));
    }

    [Fact]
    public void Pin_ignores_other_keys_and_rejects_non_objects()
    {
        var a = Engine.Json("""{"name":"t","inputSchema":{},"annotations":{"x":1}}""");
        var b = Engine.Json("""{"inputSchema":{},"name":"t"}""");
        Assert.Equal(ToolPin.Compute(a), ToolPin.Compute(b));
        Assert.Throws<ArgumentException>(() => ToolPin.Compute(Engine.Json("[]")));
    }
}
