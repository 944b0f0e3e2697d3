using PolicyEngine.Document;

namespace PolicyEngine.Tests.Document;

public class DurationAndPointerTests
{
    [Theory]
    [InlineData("60", 600_000_000L)]
    [InlineData("\"1m\"", 600_000_000L)]
    [InlineData("\"500ms\"", 5_000_000L)]
    [InlineData("\"30s\"", 300_000_000L)]
    [InlineData("\"1h\"", 36_000_000_000L)]
    [InlineData("\"1d\"", 864_000_000_000L)]
    [InlineData("\"400d\"", 345_600_000_000_000L)]
    [InlineData("0.5", 5_000_000L)]
    [InlineData("0.00000001", 1L)]
    public void Durations_parse(string json, long ticks)
    {
        var node = Read(json);
        Assert.True(Duration.TryParse(node, out var value, out var error), error);
        Assert.Equal(ticks, value.Ticks);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("\"5 minutes\"")]
    [InlineData("\"1.5h\"")]
    [InlineData("\"1w\"")]
    [InlineData("\"m\"")]
    [InlineData("\"401d\"")]
    [InlineData("\" 1s\"")]
    [InlineData("true")]
    public void Bad_durations_are_rejected(string json) => Assert.False(Duration.TryParse(Read(json), out _, out _));

    [Theory]
    [InlineData("a/b", "a~1b")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~/", "~0~1")]
    [InlineData("binance_*", "binance_*")]
    public void Pointer_tokens_escape_tilde_then_slash(string token, string escaped)
    {
        Assert.Equal(escaped, JsonPointer.Escape(token));
        Assert.Equal(token, JsonPointer.Unescape(escaped));
    }

    [Fact]
    public void Rule_pointers_escape_tool_names()
    {
        using var ev = new PolicyEvaluator(Policy.Parse("""{"version":"1","default":"deny","tools":{"fs/read":{"action":"deny"}}}"""));
        Assert.Equal("/tools/fs~1read/action", ev.Evaluate(new ToolCall("fs/read")).Rule);
    }

    private static JNode Read(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        return SourceReader.Read(bytes, new Diagnostics())!.Value;
    }
}
