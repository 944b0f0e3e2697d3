using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck.Fluent;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>
/// The class of parser differentials is closed: for generated hostile arguments, whenever the filter lets a call run,
/// the tool was bound, at every path the policy reads, with the value the policy read there.
/// </summary>
public sealed partial class BindingAgreementTests
{
    private static readonly Field[] Line = [new("symbol", ValueKind.Text), new("side", ValueKind.Enum), new("count", ValueKind.Integer)];

    private static readonly (string Tool, Field[] Fields)[] Tools =
    [
        ("order", [new("side", ValueKind.Enum), new("quantity", ValueKind.Number)]),
        ("transfer_request", [new("request", ValueKind.Object, [new("amount", ValueKind.Number), new("to", ValueKind.Text)])]),
        ("batch", [new("lines", ValueKind.Array, Line)]),
        ("measure", [new("ratio", ValueKind.Number), new("count", ValueKind.Integer), new("big", ValueKind.Integer)]),
        ("place_order", [new("symbol", ValueKind.Token), new("side", ValueKind.Text), new("quantity", ValueKind.Number)]),
        ("transfer", [new("amount", ValueKind.Number), new("to", ValueKind.Text)]),
        ("get_price", [new("symbol", ValueKind.Text)]),
    ];

    [Fact]
    public async Task Whenever_a_call_runs_the_tool_is_bound_with_the_values_the_policy_read()
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync(BindingAgreement.Policy, [.. probe.Create(), .. SampleTools()]);
        var ran = 0;
        var refused = 0;
        foreach (var (tool, fields) in Tools)
        {
            foreach (var arguments in ArgumentShapes.Object(fields).Sample(numberOfSamples: 80, size: 10))
            {
                var result = await server.CallRawAsync(tool, arguments);
                if (result.IsError == true)
                {
                    refused++;
                    continue;
                }

                ran++;
                var received = probe.Received.TryDequeue(out var probed) ? probed.Values : FromSampleText(tool, StdioServerTests.Text(result));
                using var document = JsonDocument.Parse(arguments);
                foreach (var (path, value) in received)
                {
                    Assert.True(BindingAgreement.Agree(document.RootElement, path, value), $"{tool} {arguments}: the tool got {value ?? "null"} at {path}.");
                }
            }
        }

        // Not vacuous: many calls ran, and many hostile ones were refused.
        Assert.True(ran > 60, $"only {ran} calls ran");
        Assert.True(refused > 60, $"only {refused} calls were refused");
    }

    /// <summary>The sample server's real tools (TradingTools), bound by the SDK as the sample binds them.</summary>
    private static IEnumerable<McpServerTool> SampleTools()
    {
        var assembly = Assembly.LoadFrom(Path.Combine(SampleServer.Directory, "McpServer.dll"));
        var type = assembly.GetType("PolicyEngine.Samples.McpServer.TradingTools", throwOnError: true)!;
        return type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null)
            .Select(m => McpServerTool.Create(m, target: null));
    }

    // The sample tools print what they were bound with; read it back.
    private static Dictionary<string, object?> FromSampleText(string tool, string text)
    {
        var match = tool switch
        {
            "transfer" => TransferText().Match(text),
            "place_order" => OrderText().Match(text),
            _ => PriceText().Match(text),
        };
        Assert.True(match.Success, text);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in (string[])["amount", "to", "side", "quantity", "symbol"])
        {
            if (match.Groups[name].Success)
            {
                values[name] = name is "amount" or "quantity" ? decimal.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : match.Groups[name].Value;
            }
        }

        return values;
    }

    [GeneratedRegex(@"\ATransferred (?<amount>\S+) USD to (?<to>.*)\.\z", RegexOptions.Singleline)]
    private static partial Regex TransferText();

    [GeneratedRegex(@"\AOrder [0-9]+ placed: (?<side>.*) (?<quantity>\S+) (?<symbol>\S+) at \S+\.\z", RegexOptions.Singleline)]
    private static partial Regex OrderText();

    [GeneratedRegex(@"\A(?<symbol>.*): \S+\z", RegexOptions.Singleline)]
    private static partial Regex PriceText();
}
