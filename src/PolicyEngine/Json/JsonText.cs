using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Json;

/// <summary>
/// Reads the text of JSON strings and property names without ever throwing. <see cref="JsonDocument"/>
/// accepts invalid UTF-8 and lone surrogate escapes and only fails when such a string is read; an
/// argument the host did not validate must not turn into an exception. Invalid UTF-8 reads as U+FFFD,
/// and an escaped lone surrogate is kept as that UTF-16 code unit, so comparisons stay clean.
/// </summary>
internal static class JsonText
{
    /// <summary>The text of a string value.</summary>
    public static string GetString(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return Decode(raw[1..^1]);
    }

    /// <summary>The name of a property.</summary>
    public static string GetName(JsonProperty property) => Decode(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>Unescapes the bytes between a JSON string's quotes.</summary>
    public static string Decode(ReadOnlySpan<byte> content)
    {
        int slash = content.IndexOf((byte)'\\');
        if (slash < 0)
        {
            return Encoding.UTF8.GetString(content);
        }

        var sb = new StringBuilder(content.Length);
        while (slash >= 0)
        {
            sb.Append(Encoding.UTF8.GetString(content[..slash]));
            content = content[(slash + 1)..];
            if (content.IsEmpty)
            {
                break;
            }

            byte e = content[0];
            content = content[1..];
            switch (e)
            {
                case (byte)'b': sb.Append('\b'); break;
                case (byte)'f': sb.Append('\f'); break;
                case (byte)'n': sb.Append('\n'); break;
                case (byte)'r': sb.Append('\r'); break;
                case (byte)'t': sb.Append('\t'); break;
                case (byte)'u' when content.Length >= 4 &&
                    ushort.TryParse(Encoding.ASCII.GetString(content[..4]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                    sb.Append((char)code);
                    content = content[4..];
                    break;
                default: sb.Append((char)e); break; // \" \\ \/ (the reader admits no others)
            }

            slash = content.IndexOf((byte)'\\');
        }

        sb.Append(Encoding.UTF8.GetString(content));
        return sb.ToString();
    }
}
