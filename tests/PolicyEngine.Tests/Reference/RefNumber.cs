using System.Globalization;
using System.Numerics;

namespace PolicyEngine.Tests.Reference;

/// <summary>
/// An exact decimal number, mantissa × 10^exponent, read straight from JSON number text (spec §3.3:
/// never through binary floating point). Normalised so that equal values have equal fields.
/// </summary>
public readonly record struct RefNumber(BigInteger Mantissa, int Exponent) : IComparable<RefNumber>
{
    // Beyond this the reference declines to compare (spec §3.4 allows "indeterminate" for such numbers);
    // the differential generators never produce numbers anywhere near it.
    private const int MaxExponentMagnitude = 2000;

    /// <summary>Whether <paramref name="text"/> is exactly a JSON number (RFC 8259 grammar, nothing around it).</summary>
    public static bool IsJsonNumber(string text)
    {
        var i = 0;
        var n = text.Length;
        if (i < n && text[i] == '-') i++;
        if (i >= n) return false;
        if (text[i] == '0') i++;
        else if (text[i] is >= '1' and <= '9') { while (i < n && char.IsAsciiDigit(text[i])) i++; }
        else return false;
        if (i < n && text[i] == '.')
        {
            i++;
            var start = i;
            while (i < n && char.IsAsciiDigit(text[i])) i++;
            if (i == start) return false;
        }

        if (i < n && text[i] is 'e' or 'E')
        {
            i++;
            if (i < n && text[i] is '+' or '-') i++;
            var start = i;
            while (i < n && char.IsAsciiDigit(text[i])) i++;
            if (i == start) return false;
        }

        return i == n;
    }

    /// <summary>Parses JSON number text exactly; false when it is not a JSON number or is too large to compare.</summary>
    public static bool TryParse(string text, out RefNumber number)
    {
        number = default;
        if (!IsJsonNumber(text)) return false;
        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        var ePos = body.IndexOfAny(['e', 'E']);
        var digitsPart = ePos < 0 ? body : body[..ePos];
        BigInteger exp = 0;
        if (ePos >= 0) exp = BigInteger.Parse(body[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = digitsPart.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? digitsPart : digitsPart.Remove(dot, 1);
        if (dot >= 0) exp -= digitsPart.Length - dot - 1;
        var mantissa = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (mantissa.IsZero) { number = new RefNumber(0, 0); return true; }
        while (mantissa % 10 == 0) { mantissa /= 10; exp += 1; }
        if (BigInteger.Abs(exp) > MaxExponentMagnitude) return false;
        number = new RefNumber(negative ? -mantissa : mantissa, (int)exp);
        return true;
    }

    /// <summary>The value as a <see cref="decimal"/> (the reference only uses this for small limit amounts).</summary>
    public bool TryToDecimal(out decimal value)
    {
        value = 0;
        if (Exponent is > 28 or < -28 || BigInteger.Abs(Mantissa) > new BigInteger(decimal.MaxValue)) return false;
        var text = Mantissa.ToString(CultureInfo.InvariantCulture) + "E" + Exponent.ToString(CultureInfo.InvariantCulture);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        // Reject silent rounding: the decimal must read back as the same exact number.
        return TryParse(value.ToString(CultureInfo.InvariantCulture), out var back) && back == this;
    }

    /// <inheritdoc />
    public int CompareTo(RefNumber other)
    {
        var common = Math.Min(Exponent, other.Exponent);
        var a = Mantissa * BigInteger.Pow(10, Exponent - common);
        var b = other.Mantissa * BigInteger.Pow(10, other.Exponent - common);
        return a.CompareTo(b);
    }
}
