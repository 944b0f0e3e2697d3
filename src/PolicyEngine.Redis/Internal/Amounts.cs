using System.Globalization;

namespace PolicyEngine.Redis.Internal;

/// <summary>Amounts cross to the scripts as canonical decimal text ("12.345", "0.1", "7"), which they add exactly; never as doubles.</summary>
internal static class Amounts
{
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
