using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// The policies and calls of the suite, one place for each, so that the engine, the peers and the Cedar script
/// (benchmarks/peers/cedar/bench.js mirrors <see cref="FiveConditionsPolicy"/> and <see cref="FiveConditionsArguments"/>)
/// measure the same thing.
/// </summary>
internal static class Workloads
{
    /// <summary>The listed tool that <c>ExactToolAllow</c> calls: one of <see cref="ListedTools"/>, in the middle.</summary>
    public const string ListedTool = "tool_0500";

    public const int ListedTools = 1000;

    /// <summary>A limit every call fits (2·10⁹ per second), so each call takes the allow path and spends.</summary>
    public const string AllowPathLimit = """{"max": 2000000000, "window": 1}""";

    /// <summary>The seed's limit: 10 calls per 60 s per session.</summary>
    public const string SeedLimit = """{"max": 10, "window": 60}""";

    public const int SeedLimitMax = 10;

    public const string LimitedTool = "search";

    public const string FiveConditionsTool = "place_order";

    /// <summary>
    /// One <c>deny_if</c> entry with five leaves (eq, in, gt, starts_with, regex). The call below makes the first
    /// four true and the regex false, so every leaf is evaluated and the call is allowed.
    /// </summary>
    public const string FiveConditionsPolicy = """
        {
          "version": "1",
          "default": "deny",
          "tools": {
            "place_order": {
              "deny_if": [
                {
                  "conditions": [
                    { "path": "args.side", "op": "eq", "value": "sell" },
                    { "path": "args.symbol", "op": "in", "value": ["BTCUSD", "ETHUSD", "SOLUSD"] },
                    { "path": "args.quantity", "op": "gt", "value": 100 },
                    { "path": "args.account", "op": "starts_with", "value": "margin-" },
                    { "path": "args.note", "op": "regex", "value": "urgent|override" }
                  ],
                  "on_deny": "Urgent margin sells of majors need review."
                }
              ]
            }
          }
        }
        """;

    /// <summary>Eight properties; see <see cref="FiveConditionsPolicy"/>.</summary>
    public const string FiveConditionsArguments = """
        {
          "symbol": "ETHUSD",
          "side": "sell",
          "quantity": 250,
          "price": "3120.50",
          "account": "margin-7731",
          "type": "limit",
          "time_in_force": "gtc",
          "note": "weekly rebalance"
        }
        """;

    /// <summary>Default deny with <see cref="ListedTools"/> entries <c>tool_0000</c>… that have no conditions.</summary>
    public static string ListedToolsPolicy()
    {
        var tools = new StringBuilder();
        for (var i = 0; i < ListedTools; i++)
        {
            tools.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"tool_{i:D4}\": {{}}");
        }

        return """{"version": "1", "default": "deny", "tools": {""" + tools + "}}";
    }

    /// <summary>Default deny with 100 globs <c>svc00_*</c> … <c>svc99_*</c>; a name like <c>svc73_list</c> matches exactly one.</summary>
    public static string HundredGlobsPolicy()
    {
        var tools = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            tools.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"svc{i:D2}_*\": {{}}");
        }

        return """{"version": "1", "default": "deny", "tools": {""" + tools + "}}";
    }

    public const string HidingPolicy = """
        {
          "version": "1",
          "default": "allow",
          "hide": ["admin_*", "debug_*", "shell_exec"],
          "tools": { "search": {}, "read_file": {} }
        }
        """;

    /// <summary>Two calendar limits on <see cref="LimitedTool"/>: a daily budget with a cost, and a per-minute count, both far from full.</summary>
    public static string CalendarBudgetPolicy() => """
        {"version": "1", "default": "deny", "tools": {"search": {"limits": [
          {"max": 1000000000000000, "window": "day", "cost": "args.amount"},
          {"max": 2000000000, "window": "minute"}]}}}
        """.Replace("search", LimitedTool, StringComparison.Ordinal);

    /// <summary>A call under <see cref="CalendarBudgetPolicy"/> that spends 2.5.</summary>
    public static ToolCall CalendarBudgetCall() => new(LimitedTool, Element("""{"amount": 2.5}""")) { SessionId = "session-1" };

    /// <summary>A policy whose only entry is <see cref="LimitedTool"/> with one session-scoped limit.</summary>
    public static string LimitPolicy(string limit) =>
        """{"version": "1", "default": "deny", "tools": {""" + $"\"{LimitedTool}\": {{\"rate_limit\": {limit}}}}}}}";

    /// <summary>Parses JSON into an element that outlives the document (the document is never disposed, on purpose).</summary>
    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement;

    /// <summary>Session ids <c>session-00000</c>…, built once so that no benchmark formats strings.</summary>
    public static string[] SessionIds(int count) =>
        Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"session-{i:D5}")).ToArray();

    /// <summary>
    /// Checks that a setup call takes the path its benchmark means to measure: a benchmark that silently measured
    /// an <c>internal_error</c> or a <c>default_deny</c> would report a meaningless figure.
    /// </summary>
    public static void Expect(in Decision decision, string code, string workload)
    {
        if (!string.Equals(decision.Code, code, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{workload}: expected '{code}' but the engine answered '{decision.Code}' ({decision.Rule}: {decision.Message}).");
        }
    }
}
