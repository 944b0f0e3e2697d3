using System.Globalization;

namespace PolicyEngine.Redis.Internal;

/// <summary>Amounts cross to the scripts as canonical decimal text ("12.345", "0.1", "7"), which they add exactly; never as doubles.</summary>
internal static class Amounts
{
    /// <summary>The amount as a script argument: a whole amount below 10^15 (every count's) as an integer, which allocates nothing.</summary>
    public static StackExchange.Redis.RedisValue Value(decimal value) =>
        value >= 0 && value < 1_000_000_000_000_000m && decimal.Truncate(value) == value ? (long)value : Format(value);

    public static string Format(decimal value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Limit amounts are never negative.");
        }

        string text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
