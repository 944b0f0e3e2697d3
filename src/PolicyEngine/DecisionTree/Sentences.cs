using System.Globalization;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// Every sentence the engine itself writes into a decision (docs/policy-language.md#rule-pointers-and-messages), in one
/// place: a policy's own message (<c>on_deny</c>, <c>reason</c>, <c>on_fail</c>, <c>on_limit</c>) wins where it has one.
/// The numbers they name come from the constants that enforce them. Validation messages are in
/// <c>Document/ValidationMessages</c>.
/// </summary>
internal static class Sentences
{
    public const string InternalError = "The policy engine failed while deciding this call, so it was denied.";

    public static readonly string InvalidName =
        $"The tool name is invalid: it must be 1 to {ToolNames.MaxLength} characters, each a letter, digit, '_', '-', '.' or '/'.";

    public const string ArgumentsNotObject = "The arguments must be a JSON object.";

    public const string DuplicateKey = "The arguments repeat a property name.";

    public static readonly string TooDeep = $"The arguments are nested deeper than {ArgumentLimits.MaxDepth} levels.";

    public const string TooManyValues = "The arguments hold more values than this host accepts.";

    public const string StringTooLong = "The arguments hold a string longer than this host accepts.";

    // The MCP adapter's checks of a call's arguments against the tool's input schema (PolicyEngine.ModelContextProtocol,
    // Schema/). '{0}' is the argument's JSON pointer, filled in by the check.
    public const string SchemaInexactNumber = "The number at '{0}' cannot be held exactly by the tool (a double or a decimal would round it).";

    public const string SchemaGuid = "The value at '{0}' must be a GUID written as 8-4-4-4-12 lower-case hex digits.";

    public const string SchemaRepeatedProperty = "The property at '{0}' appears more than once in its object.";

    /// <summary>A format with '{0}' for the pointer; the declared name is escaped, so braces in it stay text.</summary>
    public static string SchemaCaseVariant(string declared) =>
        "The property at '{0}' differs only in case from the declared property '"
        + declared.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)
        + "'; use the declared name exactly.";

    public static string SchemaTooDeep(int maxDepth) => string.Create(CultureInfo.InvariantCulture, $"The arguments are nested deeper than {maxDepth} levels.");

    public static string SchemaMismatchAt(string location, string keyword, string message) =>
        $"The argument at '{location}' does not match the tool's input schema ({keyword}): {message}";

    public const string SchemaMismatch = "The arguments do not match the tool's input schema.";

    public static string SchemaUnusable(string error) => "The tool's input schema cannot be used to check its arguments: " + error;

    public static string SchemaUncheckable(string error) => "The arguments could not be checked against the tool's input schema: " + error;

    // The MCP client wrapper (PolicyEnforcingMcpClient), before it asks the engine.
    public static string AmbiguousServerTool(string name) =>
        $"The server listed more than one tool named '{name}', so which definition would run is unknown; the call was not sent.";

    public const string StateUnavailable =
        "The shared state that limits and approvals need could not be reached in time, so the call was denied; try again shortly.";

    public const string CapacityExceeded =
        "The engine is tracking as many limit counters as it is configured for; calls that need a new one are refused until idle ones expire.";

    public const string Hidden = "This tool is not available.";

    public const string DefaultDeny = "This tool is not listed, and the policy denies unlisted tools.";

    public const string DefinitionChanged = "The tool's definition is missing or differs from the one this policy pinned.";

    public const string Denied = "This tool is denied by policy.";

    public const string ApprovalRequired = "This tool needs a person's approval.";

    public const string RuleIndeterminate =
        "A rule could not be decided because a value it reads is mistyped or not exactly comparable, so the call was denied.";

    public const string RequireFailed = "A required condition does not hold.";

    public const string DenyIfMatched = "A deny_if rule matched this call.";

    public const string ApprovalNeeded = "This call needs a person's approval.";

    /// <summary>A <c>require</c> entry that is a path: the value it names must be present.</summary>
    public static string MustBePresent(string path) => $"'{path}' must be present.";

    /// <summary>Two argument names of one object that differ only in letter case (docs/policy-language.md#evaluating-a-call, step 1).</summary>
    public static string CaseVariants(string first, string second) =>
        $"The arguments hold the names '{first}' and '{second}' in one object: they differ only in letter case, and a tool that reads names ignoring case would take them as one.";

    private static readonly string CountIndeterminate = CostMessage(null);

    /// <summary>
    /// <c>on_limit</c>, else a sentence that names the limit, its max and its window in plain English:
    /// "at most 1 call per minute", "at most 3 calls per 10 seconds", "at most 500 spent per 2 days", and for a
    /// calendar window "at most 500 spent per UTC day".
    /// </summary>
    public static string Limited(string? onLimit, string? name, decimal max, bool hasCost, TimeSpan window, bool calendar = false) =>
        onLimit ?? $"Limit{(name is null ? "" : $" '{name}'")} reached: at most {Format(max)} {(hasCost ? "spent" : max == 1 ? "call" : "calls")} per {(calendar ? "UTC " : "")}{Describe(window)}.";

    /// <summary>Why the limit with <c>cost</c> path <paramref name="cost"/> (null for a count limit) could not be checked.</summary>
    public static string Indeterminate(string? cost) => cost is null ? CountIndeterminate : CostMessage(cost);

    private static string CostMessage(string? cost) =>
        $"The call's cost ({cost}) is missing or not a number ≥ 0, so the limit cannot be checked.";

    // A whole max (every count limit) prints as its integer: the same text, without the custom-format parser.
    private static string Format(decimal value) => value == decimal.Truncate(value) && Math.Abs(value) <= long.MaxValue
        ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("0.############################", CultureInfo.InvariantCulture);

    // The largest unit that divides the window: "minute" for one, "2 minutes" for more, "1.5 seconds" for a fraction,
    // "500 milliseconds" below a second.
    private static string Describe(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0 ? Per(window.Ticks / TimeSpan.TicksPerDay, "day")
        : window.Ticks % TimeSpan.TicksPerHour == 0 ? Per(window.Ticks / TimeSpan.TicksPerHour, "hour")
        : window.Ticks % TimeSpan.TicksPerMinute == 0 ? Per(window.Ticks / TimeSpan.TicksPerMinute, "minute")
        : window.Ticks % TimeSpan.TicksPerSecond == 0 || window.Ticks > TimeSpan.TicksPerSecond ? Per((decimal)window.Ticks / TimeSpan.TicksPerSecond, "second")
        : Per((decimal)window.Ticks / TimeSpan.TicksPerMillisecond, "millisecond");

    private static string Per(decimal count, string unit) => count == 1 ? unit : $"{Format(count)} {unit}s";
}
