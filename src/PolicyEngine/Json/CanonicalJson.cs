using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Json;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme) serialisation: object members sorted by their UTF-16 code
/// units, no insignificant white space, strings with minimal escaping and numbers in ECMAScript form.
/// Used for pins, approval ids, per-value limit keys and the policy fingerprint; never for comparisons.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>The canonical form of a JSON value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="exactNumbers">
    /// Write a number that a double cannot hold exactly as its exact decimal (or, past decimal range, its
    /// raw text) instead of rounding it. RFC 8785 rounds; an approval must never cover two different amounts.
    /// </param>
    public static string Serialize(JsonElement value, bool exactNumbers = false)
    {
        var sb = new StringBuilder();
        Write(sb, value, exactNumbers);
        return sb.ToString();
    }

    /// <summary>The canonical form of an arguments dictionary, as the object it stands for.</summary>
    public static string Serialize(IEnumerable<KeyValuePair<string, JsonElement>> members, bool exactNumbers = false)
    {
        var sb = new StringBuilder();
        WriteObject(sb, members.Select(m => (m.Key, m.Value)), exactNumbers);
        return sb.ToString();
    }

    public static void Write(StringBuilder sb, JsonElement value, bool exactNumbers = false)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(sb, value.EnumerateObject().Select(p => (JsonText.GetName(p), p.Value)), exactNumbers);
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                bool first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    Write(sb, item, exactNumbers);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, JsonText.GetString(value));
                break;
            case JsonValueKind.Number:
                string raw = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value));
                if (exactNumbers)
                {
                    WriteExactNumber(sb, raw);
                }
                else
                {
                    WriteNumber(sb, raw);
                }

                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    public static void WriteObject(StringBuilder sb, IEnumerable<(string Name, JsonElement Value)> members, bool exactNumbers = false)
    {
        var sorted = members.ToList();
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        sb.Append('{');
        for (int i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            WriteString(sb, sorted[i].Name);
            sb.Append(':');
            Write(sb, sorted[i].Value, exactNumbers);
        }

        sb.Append('}');
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
            {
                // A lone surrogate has no UTF-8 form; escaped, it stays distinct from every other string.
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                continue;
            }

            if (char.IsHighSurrogate(c))
            {
                sb.Append(c).Append(s[++i]);
                continue;
            }

            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>
    /// Writes a number as ECMAScript's Number::toString of its IEEE-754 double, as RFC 8785 requires.
    /// A number beyond the double range has no RFC 8785 form; it is written in <see cref="WriteScientific"/>'s
    /// exact form, so equal values share one text (<c>1e400</c>, <c>1E+400</c>, <c>10e399</c>) and distinct values stay distinct.
    /// </summary>
    public static void WriteNumber(StringBuilder sb, string raw)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
        {
            WriteScientific(sb, raw);
            return;
        }

        if (d == 0)
        {
            sb.Append('0'); // also for -0
            return;
        }

        if (d < 0)
        {
            sb.Append('-');
            d = -d;
        }

        // Shortest round-trip digits and the position of the decimal point (ECMAScript's k and n).
        string shortest = d.ToString("R", CultureInfo.InvariantCulture);
        SplitDigits(shortest, out string digits, out int n);
        int k = digits.Length;
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            int e = n - 1;
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Writes a number so that two texts are equal exactly when the values are: the RFC 8785 form when it loses
    /// nothing, else the exact decimal, else (past decimal range) <see cref="WriteScientific"/>'s form.
    /// </summary>
    public static void WriteExactNumber(StringBuilder sb, string raw)
    {
        if (ExactNumber.Parse(raw.AsSpan(), out decimal exact) != NumberStatus.Exact)
        {
            WriteScientific(sb, raw);
            return;
        }

        var canonical = new StringBuilder();
        WriteNumber(canonical, raw);
        if (ExactNumber.Parse(canonical.ToString().AsSpan(), out decimal roundTrip) == NumberStatus.Exact && roundTrip == exact)
        {
            sb.Append(canonical); // the RFC 8785 form loses nothing
            return;
        }

        // Dividing by 1.000… drops trailing zeros without changing the value.
        sb.Append((exact / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The exact value of a JSON number text as <c>[-]D[.DDD]e(+|-)N</c>: significant digits without leading or
    /// trailing zeros and the exponent of the first. The text names one exact value, so it can never equal
    /// another form's text for a different value. Zero is <c>0</c>. The exponent is
    /// a <see cref="System.Numerics.BigInteger"/>: a text may carry any number of exponent digits.
    /// </summary>
    public static void WriteScientific(StringBuilder sb, string raw)
    {
        var text = raw.AsSpan();
        bool negative = text.Length > 0 && text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        int e = text.IndexOfAny('e', 'E');
        var mantissa = e >= 0 ? text[..e] : text;
        var exponent = e >= 0 ? System.Numerics.BigInteger.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : System.Numerics.BigInteger.Zero;
        int dot = mantissa.IndexOf('.');
        var whole = dot >= 0 ? mantissa[..dot] : mantissa;
        var fraction = dot >= 0 ? mantissa[(dot + 1)..] : [];
        var digits = string.Concat(whole, fraction);
        int leading = digits.Length - digits.TrimStart('0').Length;
        var significant = digits.AsSpan(leading).TrimEnd('0');
        if (significant.IsEmpty)
        {
            sb.Append('0');
            return;
        }

        // The value is 0.<digits> × 10^(whole.Length + exponent); the first significant digit sits at leading.
        var power = exponent + whole.Length - leading - 1;
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(significant[0]);
        if (significant.Length > 1)
        {
            sb.Append('.').Append(significant[1..]);
        }

        sb.Append('e').Append(power.Sign < 0 ? '-' : '+').Append(System.Numerics.BigInteger.Abs(power).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Splits .NET's shortest round-trip text ("1.5E-07", "123.45", "1E+21") into significant digits and the point's position.</summary>
    private static void SplitDigits(string text, out string digits, out int pointPosition)
    {
        int exponent = 0;
        int e = text.IndexOfAny(['E', 'e']);
        string mantissa = text;
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = text[..e];
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        string fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        digits = all[leading..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        pointPosition = intPart.Length - leading + exponent;
    }
}
