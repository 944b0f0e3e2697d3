using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Tests.Reference;

/// <summary>
/// RFC 8785 (JCS) canonical JSON, written from the RFC for the reference evaluator: members sorted by
/// UTF-16 code units, numbers as ECMAScript prints doubles, strings with JSON.stringify's escapes.
/// </summary>
public static class RefCanonicalJson
{
    /// <summary>The canonical text of a value.</summary>
    public static string Write(JsonElement value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    /// <summary><c>sha256:</c> + lowercase hex of the canonical <c>{name, description, inputSchema}</c> (spec §6).</summary>
    public static string Pin(JsonElement definition)
    {
        var sb = new StringBuilder("{");
        var first = true;
        // "description" < "inputSchema" < "name" in code-unit order.
        foreach (var key in new[] { "description", "inputSchema", "name" })
        {
            if (!definition.TryGetProperty(key, out var v)) continue;
            if (!first) sb.Append(',');
            first = false;
            AppendString(sb, key);
            sb.Append(':');
            Append(sb, v);
        }

        sb.Append('}');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void Append(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var members = value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    AppendString(sb, members[i].Name);
                    sb.Append(':');
                    Append(sb, members[i].Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var k = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (k++ > 0) sb.Append(',');
                    Append(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(sb, value.GetString()!);
                break;
            case JsonValueKind.Number:
                sb.Append(FormatNumber(double.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                break;
            default:
                sb.Append(value.GetRawText()); // true, false, null
                break;
        }
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
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
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3).</summary>
    public static string FormatNumber(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new ArgumentOutOfRangeException(nameof(d), "Not representable in JSON.");
        if (d == 0) return "0";
        var negative = d < 0;
        // "E16" then trimming is not shortest; "R" is shortest round-trip on .NET Core 3.0+.
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var ePos = r.IndexOf('E', StringComparison.Ordinal);
        var mant = ePos < 0 ? r : r[..ePos];
        var exp = ePos < 0 ? 0 : int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mant.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mant : mant.Remove(dot, 1);
        var pointPos = (dot < 0 ? mant.Length : dot) + exp; // n in ECMAScript's notation
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointPos -= lead;
        var k = digits.Length;
        var n = pointPos;
        string s;
        if (k <= n && n <= 21) s = digits + new string('0', n - k);
        else if (0 < n && n <= 21) s = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0) s = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            var es = (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
            s = k == 1 ? digits + "e" + es : digits[..1] + "." + digits[1..] + "e" + es;
        }

        return negative ? "-" + s : s;
    }
}
