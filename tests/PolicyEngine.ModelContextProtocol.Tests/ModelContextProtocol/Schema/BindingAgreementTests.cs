using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck.Fluent;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Schema;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>
/// The class of parser differentials is closed: for generated hostile arguments, whenever the filter lets a call run,
/// the tool was bound, at every path the policy reads, with the value the policy read there.
/// </summary>
public sealed partial class BindingAgreementTests
{
    // Every path the tools are bound from is read by some condition; default allow, so that calls do run.
    private const string Policy = """
        { "version": "1", "default": "allow",
          "tools": {
            "order": { "deny_if": [{ "conditions": [{ "path": "args.side", "op": "eq", "value": "Sell" }, { "path": "args.quantity", "op": "gt", "value": 1000 }] }] },
            "transfer_request": {
              "require": [{ "path": "args.request.amount", "op": "lte", "value": 100 }],
              "deny_if": [{ "conditions": [{ "path": "args.request.to", "op": "starts_with", "value": "ext-" }] }] },
            "batch": { "deny_if": [{ "conditions": [{ "path": "args.lines[0].side", "op": "eq", "value": "Sell" }, { "path": "args.lines[0].count", "op": "gt", "value": 5 }] },
                                   { "conditions": [{ "path": "args.lines[1].symbol", "op": "eq", "value": "FORBIDDEN" }] }] },
            "measure": { "deny_if": [{ "conditions": [{ "path": "args.ratio", "op": "gt", "value": 1000 }, { "path": "args.count", "op": "gt", "value": 5 }, { "path": "args.big", "op": "eq", "value": 3 }] }] },
            "place_order": { "deny_if": [{ "conditions": [{ "path": "args.side", "op": "eq", "value": "sell" }, { "path": "args.quantity", "op": "gt", "value": 1000 }, { "path": "args.symbol", "op": "eq", "value": "FORBIDDEN" }] }] },
            "transfer": { "require": [{ "path": "args.amount", "op": "lte", "value": 100 }],
                          "deny_if": [{ "conditions": [{ "path": "args.to", "op": "starts_with", "value": "ext-" }] }] },
            "get_price": { "deny_if": [{ "conditions": [{ "path": "args.symbol", "op": "eq", "value": "FORBIDDEN" }] }] } } }
        """;

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
        await using var server = await InProcessServer.StartAsync(Policy, [.. probe.Create(), .. SampleTools()]);
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
                    Assert.True(Agree(document.RootElement, path, value), $"{tool} {arguments}: the tool got {value ?? "null"} at {path}.");
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

    /// <summary>
    /// Whether the policy, reading <paramref name="path"/> exactly (names compared ordinally), read what the tool got.
    /// A path the arguments do not have reads as absent, which agrees with a default (null, 0, the first enum value).
    /// A repeated name below the top level is a disagreement: the policy and the binder may each have taken another one.
    /// </summary>
    private static bool Agree(JsonElement root, string path, object? received)
    {
        if (path.EndsWith(".length", StringComparison.Ordinal) || path == "request")
        {
            var container = Read(root, path.Replace(".length", "", StringComparison.Ordinal), out var ambiguous);
            return !ambiguous && (container is { } c ? c.ValueKind is JsonValueKind.Array or JsonValueKind.Object : received is null);
        }

        var read = Read(root, path, out var repeated);
        if (repeated)
        {
            return false;
        }

        if (read is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return received is null || received.Equals(Activator.CreateInstance(received.GetType()));
        }

        return received switch
        {
            string s => value.ValueKind == JsonValueKind.String && value.GetString() == s,
            Side side => value.ValueKind == JsonValueKind.String && value.GetString() == side.ToString(),
            decimal d => SameNumber(value, d.ToString(CultureInfo.InvariantCulture)),
            double d => SameNumber(value, d.ToString("R", CultureInfo.InvariantCulture)),
            IFormattable n => SameNumber(value, n.ToString(null, CultureInfo.InvariantCulture)),
            _ => false,
        };
    }

    private static bool SameNumber(JsonElement value, string received) =>
        value.ValueKind == JsonValueKind.Number &&
        ExactNumbers.TryNormalize(value.GetRawText(), out var read) && ExactNumbers.TryNormalize(received, out var got) && read == got;

    private static JsonElement? Read(JsonElement root, string path, out bool repeated)
    {
        repeated = false;
        JsonElement? current = root;
        foreach (var step in PathStep().Matches(path).Cast<Match>())
        {
            if (current is not { } at)
            {
                return null;
            }

            if (step.Groups["index"].Success)
            {
                var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                current = at.ValueKind == JsonValueKind.Array && index < at.GetArrayLength() ? at[index] : null;
                continue;
            }

            var name = step.Groups["name"].Value;
            var found = at.ValueKind == JsonValueKind.Object ? at.EnumerateObject().Where(p => p.NameEquals(name)).ToList() : [];

            // The top level arrives as a dictionary, the last of a repeated name kept, for the policy and the binder alike.
            repeated |= found.Count > 1 && step.Index > 0;
            current = found.Count == 0 ? null : found[^1].Value;
        }

        return current;
    }

    [GeneratedRegex(@"(?<name>[a-z]+)|\[(?<index>[0-9]+)\]")]
    private static partial Regex PathStep();

    [GeneratedRegex(@"\ATransferred (?<amount>\S+) USD to (?<to>.*)\.\z", RegexOptions.Singleline)]
    private static partial Regex TransferText();

    [GeneratedRegex(@"\AOrder [0-9]+ placed: (?<side>.*) (?<quantity>\S+) (?<symbol>\S+) at \S+\.\z", RegexOptions.Singleline)]
    private static partial Regex OrderText();

    [GeneratedRegex(@"\A(?<symbol>.*): \S+\z", RegexOptions.Singleline)]
    private static partial Regex PriceText();
}
