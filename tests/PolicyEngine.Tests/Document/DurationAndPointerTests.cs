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
    [InlineData("0.001", 10_000L)]
    [InlineData("\"1ms\"", 10_000L)]
    [InlineData("0.0010000001", 10_001L)] // sub-tick remainders round up
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
    [InlineData("1e-9")]
    [InlineData("0.00000001")]
    [InlineData("0.0009999")]
    [InlineData("0.0001")]
    public void Durations_shorter_than_a_millisecond_are_rejected_with_the_minimum_named(string json)
    {
        Assert.False(Duration.TryParse(Read(json), out _, out var error));
        Assert.Contains("at least 1 ms", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":1,"window":1e-9}}}}""", "/tools/t/rate_limit/window")]
    [InlineData("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":1,"window":0.0001}]}}""", "/all_tools/limits/0/window")]
    [InlineData("""{"version":"1","default":"allow","approval_ttl":1e-9}""", "/approval_ttl")]
    [InlineData("""{"version":"1","default":"allow","approval_ttl":"0.00000001s"}""", "/approval_ttl")]
    public void A_window_or_approval_ttl_below_a_millisecond_is_a_validation_error(string policy, string pointer)
    {
        Assert.False(Policy.TryParse(policy, out var parsed, out var errors));
        Assert.Null(parsed);
        Assert.Contains(errors, e => e.Pointer == pointer);
    }

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
