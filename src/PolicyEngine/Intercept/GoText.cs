using System.Globalization;

namespace PolicyEngine.Intercept;

/// <summary>
/// The text Go's <c>fmt.Sprintf("%v")</c> gives a YAML number, which is what Intercept compares a string argument
/// with (<c>"5"</c> eq <c>5</c> holds there, <c>"5.0"</c> eq <c>5</c> does not).
/// </summary>
internal static class GoText
{
    /// <summary>The %v text of the YAML number written <paramref name="raw"/>, or null when it is not sure.</summary>
    public static string? Of(string raw) => Of(raw, asFloat: false);

    /// <summary>The %v text of the double that <paramref name="raw"/> reads as: how Intercept prints a JSON number argument.</summary>
    public static string? OfFloat(string raw) => Of(raw, asFloat: true);

    private static string? Of(string raw, bool asFloat)
    {
        if (!asFloat && raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            // A YAML integer is a Go int: printed in decimal as it stands.
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                ? n.ToString(CultureInfo.InvariantCulture) : null;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
        {
            return null;
        }

        // A float64: %v is strconv's shortest 'g' (the fewest digits that read back as the same double).
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r.StartsWith('-');
        string body = negative ? r[1..] : r;
        int e = body.IndexOf('E');
        int exponent = e < 0 ? 0 : int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? body : body[..e];
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa[..dot] + mantissa[(dot + 1)..];
        int point = (dot < 0 ? mantissa.Length : dot) + exponent; // digits before the decimal point
        int lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= lead;
        if (digits.Length == 0)
        {
            return negative ? "-0" : "0";
        }

        string sign = negative ? "-" : "";
        int exp = point - 1;
        if (exp < -4 || exp >= 6)
        {
            // The shortest 'g' writes %e when the exponent is below -4 or at least 6: 1e+06, 1.5e-05.
            string fraction = digits.Length > 1 ? "." + digits[1..] : "";
            string expText = Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
            return $"{sign}{digits[0]}{fraction}e{(exp < 0 ? '-' : '+')}{expText}";
        }

        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length ? sign + digits + new string('0', point - digits.Length) : sign + digits[..point] + "." + digits[point..];
    }
}
