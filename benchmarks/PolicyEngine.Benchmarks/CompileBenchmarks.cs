using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>Validating and compiling a large document: what a host pays once per load or reload.</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    public const int Tools = 10_000;

    private byte[] _document = [];

    [GlobalSetup]
    public void Setup()
    {
        _document = Encoding.UTF8.GetBytes(TenThousandToolsPolicy());
        var policy = Policy.Parse(_document);
        if (policy.Default != PolicyEffect.Deny)
        {
            throw new InvalidOperationException("The 10,000-tool policy did not compile as written.");
        }
    }

    /// <summary>Validate and compile 10,000 tools, each with conditions and a limit, from UTF-8 bytes.</summary>
    [Benchmark]
    public Policy TenThousandTools() => Policy.Parse(_document);

    /// <summary>
    /// Each tool has a <c>require</c> item, a <c>deny_if</c> entry with three leaves (eq, in, gt) and a rate limit;
    /// every 100th tool adds a regex leaf (100 regexes in all), and every 10th tool a second, per-user limit.
    /// </summary>
    internal static string TenThousandToolsPolicy()
    {
        var text = new StringBuilder(capacity: Tools * 400);
        text.Append("""{"version": "1", "default": "deny", "all_tools": {"limits": [{"max": 100000, "window": "1m"}]}, "tools": {""");
        for (var i = 0; i < Tools; i++)
        {
            var regex = i % 100 == 0 ? """, {"path": "args.note", "op": "regex", "value": "urgent|override"}""" : "";
            var userLimit = i % 10 == 0 ? """, "limits": [{"max": 5, "window": "1h", "per": "context.user"}]""" : "";
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""
                "tool_{{i:D5}}": {
                  "require": ["args.account"],
                  "deny_if": [{"conditions": [
                    {"path": "args.side", "op": "eq", "value": "sell"},
                    {"path": "args.symbol", "op": "in", "value": ["BTCUSD", "ETHUSD"]},
                    {"path": "args.quantity", "op": "gt", "value": {{i}}}{{regex}}
                  ], "on_deny": "Tool {{i}} refuses large sells."}],
                  "rate_limit": {"max": {{i + 1}}, "window": 60}{{userLimit}}
                }
                """);
        }

        return text.Append("}}").ToString();
    }
}
