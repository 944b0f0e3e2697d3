using System.Globalization;

namespace PolicyEngine.DecisionTree;

/// <summary>The engine's own messages for a limit (docs/policy-language.md#evaluating-a-call step 6), written when a decision first reports them.</summary>
internal static class LimitSentences
{
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
