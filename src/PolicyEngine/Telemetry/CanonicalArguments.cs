using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Telemetry;

/// <summary>
/// RFC 8785 canonical JSON of a call's arguments, for the decision log: keys sorted by UTF-16 code units,
/// no whitespace, strings escaped as ECMAScript's JSON.stringify does, numbers in ECMAScript's shortest form.
/// </summary>
internal static class CanonicalArguments
{
    // Deeper arguments are an invalid call anyway (spec §7.1); the bound keeps hostile input off the stack.
    private const int MaxDepth = 80;

    public static string ToCanonicalJson(in ToolCall call)
    {
        var builder = new StringBuilder();
        if (call.ArgumentsDictionary is { } dictionary)
        {
            WriteObject(builder, dictionary.Select(p => (p.Key, p.Value)), 1);
        }
        else if (call.Arguments.ValueKind == JsonValueKind.Undefined)
        {
            builder.Append("{}");
        }
        else
        {
            Write(builder, call.Arguments, 1);
        }

        return builder.ToString();
    }

    public static string Sha256(string canonicalJson) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    private static void Write(StringBuilder builder, JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("The arguments are nested too deeply to log.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, element.EnumerateObject().Select(p => (p.Name, p.Value)), depth);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    Write(builder, item, depth + 1);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(element.TryGetDouble(out var number) && double.IsFinite(number) ? FormatNumber(number) : element.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, IEnumerable<(string Key, JsonElement Value)> properties, int depth)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(first ? "" : ",");
            first = false;
            WriteString(builder, key);
            builder.Append(':');
            Write(builder, value, depth + 1);
        }

        builder.Append('}');
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3).</summary>
    internal static string FormatNumber(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // "R" gives the shortest round-trip digits; only the layout differs from ECMAScript's.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, dot), mantissa.AsSpan(dot + 1));
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leading;

        var k = digits.Length;
        var n = point;
        string result;
        if (k <= n && n <= 21)
        {
            result = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            result = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var head = k == 1 ? digits : digits[..1] + "." + digits[1..];
            result = head + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + result : result;
    }
}
