using System.Globalization;

namespace PolicyEngine.Document;

/// <summary>
/// Durations (docs/policy-language.md#approvals): seconds as a number, or an integer with <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>;
/// at least 1 ms, at most 400 days.
/// </summary>
internal static class Duration
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(400);

    /// <summary>
    /// The shortest duration (issue 19): below it a window or a TTL rounds to one tick or none, and a zero window is no
    /// limit at all while a zero TTL makes every approval expire before it can be used.
    /// </summary>
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(1);

    public static bool TryParse(JNode node, out TimeSpan value, out string error)
    {
        value = default;
        error = "";
        decimal ticks;
        if (node.Kind == JKind.Number)
        {
            if (!Json.ExactNumber.TryParseExact(node.NumberUtf8, out decimal seconds))
            {
                error = ValidationMessages.DurationNotExact;
                return false;
            }

            ticks = seconds * TimeSpan.TicksPerSecond;
        }
        else if (node.Kind == JKind.String && TryParseText(node.Text!, out ticks))
        {
        }
        else
        {
            error = ValidationMessages.DurationForm;
            return false;
        }

        if (ticks <= 0)
        {
            error = ValidationMessages.DurationNotPositive;
            return false;
        }

        if (ticks < Min.Ticks)
        {
            error = ValidationMessages.DurationTooShort;
            return false;
        }

        if (ticks > Max.Ticks)
        {
            error = ValidationMessages.DurationTooLong;
            return false;
        }

        // Sub-tick remainders round up: a longer window is the safe direction.
        value = TimeSpan.FromTicks((long)decimal.Ceiling(ticks));
        return true;
    }

    private static bool TryParseText(string text, out decimal ticks)
    {
        ticks = 0;
        int unitStart = 0;
        while (unitStart < text.Length && char.IsAsciiDigit(text[unitStart]))
        {
            unitStart++;
        }

        if (unitStart == 0 || unitStart > 12)
        {
            return false;
        }

        long amount = long.Parse(text.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture);
        long unit = text.AsSpan(unitStart) switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            "d" => TimeSpan.TicksPerDay,
            _ => 0,
        };
        if (unit == 0)
        {
            return false;
        }

        ticks = (decimal)amount * unit;
        return true;
    }
}
