using System.Globalization;
using System.Text;

namespace PolicyEngine.ModelContextProtocol.Schema;

/// <summary>
/// Whether a JSON number reaches a <c>double</c> or <c>decimal</c> parameter with the value the policy read. The policy
/// compares numbers exactly; the binder rounds. The listed schema says only <c>number</c>, not which of the two the
/// parameter is, so the number must survive both: a double must hold it exactly (its shortest round-trip text has the
/// same value; an overflow to infinity is refused, as the binder passes infinity on), and a decimal must hold it
/// exactly or not at all (a decimal overflow is refused by the binder, so the tool does not run).
/// <c>float</c> and <c>Half</c> parameters round further and are not covered: use <c>double</c> or <c>decimal</c>.
/// </summary>
internal static class ExactNumbers
{
    // Exponents past this are clamped: every such value over- or underflows both types.
    private const long ExponentClamp = 100_000;

    public static bool SurvivesBinding(string jsonNumber)
    {
        if (!TryNormalize(jsonNumber, out var value))
        {
            return false;
        }

        if (decimal.TryParse(jsonNumber, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDecimal) &&
            !(TryNormalize(asDecimal.ToString(CultureInfo.InvariantCulture), out var back) && back == value))
        {
            return false;
        }

        // A double overflows to infinity and the binder passes that on (1E400 reaches the tool as ∞): refused too.
        return double.TryParse(jsonNumber, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDouble) && double.IsFinite(asDouble) &&
            TryNormalize(asDouble.ToString("R", CultureInfo.InvariantCulture), out var roundTrip) && roundTrip == value;
    }

    /// <summary>
    /// The exact value of a number's text as significant digits (no leading or trailing zeros) and a power of ten;
    /// zero, of either sign, is ("", 0, false).
    /// </summary>
    internal static bool TryNormalize(string text, out (string Digits, long Exponent, bool Negative) value)
    {
        value = default;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        var digits = new StringBuilder();
        long exponent = 0;
        var sawDigit = false;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            digits.Append(text[i]);
            sawDigit = true;
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsAsciiDigit(text[i]); i++)
            {
                digits.Append(text[i]);
                exponent--;
                sawDigit = true;
            }
        }

        if (!sawDigit)
        {
            return false;
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var sign = 1;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                sign = text[i] == '-' ? -1 : 1;
                i++;
            }

            long power = 0;
            var sawExponentDigit = false;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
            {
                power = Math.Min(power * 10 + (text[i] - '0'), ExponentClamp);
                sawExponentDigit = true;
            }

            if (!sawExponentDigit)
            {
                return false;
            }

            exponent += sign * power;
        }

        if (i != text.Length)
        {
            return false;
        }

        var significant = digits.ToString().TrimStart('0');
        var trimmed = significant.TrimEnd('0');
        exponent += significant.Length - trimmed.Length;
        value = trimmed.Length == 0 ? ("", 0, false) : (trimmed, exponent, negative);
        return true;
    }
}
