using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using PolicyEngine.Json;

namespace PolicyEngine.Arguments;

/// <summary>A value a path found in a call: missing, a JSON value read in place, or host text (session, tool).</summary>
internal readonly struct ArgValue
{
    private const byte MissingKind = 0, JsonKind = 1, TextKind = 2, OpaqueKind = 3;

    /// <summary>A JSON value from arguments whose whole text has no escape: its strings need no escape search.</summary>
    private const byte UnescapedJsonKind = 4;

    private readonly JsonElement _element;
    private readonly string? _text;
    private readonly byte _kind;
    private readonly JsonValueKind _valueKind; // read once: each JsonElement accessor reads the document's metadata again

    private ArgValue(byte kind, JsonElement element, string? text, JsonValueKind valueKind)
    {
        _kind = kind;
        _element = element;
        _text = text;
        _valueKind = valueKind;
    }

    public static ArgValue Missing => default;

    /// <summary>An object whose contents no rule reads (the whole arguments given as a dictionary).</summary>
    public static ArgValue OpaqueObject => new(OpaqueKind, default, null, JsonValueKind.Object);

    public bool IsMissing => _kind == MissingKind;

    public JsonElement Element => _element;

    /// <summary>The JSON kind of the value; <see cref="JsonValueKind.Undefined"/> when missing, a string for host text.</summary>
    public JsonValueKind Kind => _valueKind;

    public static ArgValue FromJson(JsonElement element) => new(JsonKind, element, null, element.ValueKind);

    /// <summary>A JSON value whose kind the caller has read already (not undefined); <paramref name="unescaped"/> when its text has no escape.</summary>
    public static ArgValue FromJson(JsonElement element, JsonValueKind kind, bool unescaped) =>
        new(unescaped ? UnescapedJsonKind : JsonKind, element, null, kind);

    public static ArgValue FromText(string text) => new(TextKind, default, text, JsonValueKind.String);

    /// <summary>Reads a number or a string that is exactly a JSON number; anything else is not a number.</summary>
    public NumberStatus GetNumber(out decimal value)
    {
        value = 0;
        if (_kind == TextKind)
        {
            return ExactNumber.Parse(_text.AsSpan(), out value);
        }

        if (_kind is not (JsonKind or UnescapedJsonKind))
        {
            return NumberStatus.NotANumber;
        }

        switch (_valueKind)
        {
            case JsonValueKind.Number:
                var number = JsonMarshal.GetRawUtf8Value(_element);
                if (TryParseSmallInteger(number, out long n))
                {
                    value = n;
                    return NumberStatus.Exact;
                }

                return ExactNumber.Parse(number, out value);
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(_element);
                var content = raw[1..^1];
                return content.IndexOf((byte)'\\') < 0
                    ? ExactNumber.Parse(content, out value)
                    : ExactNumber.Parse(JsonText.GetString(_element).AsSpan(), out value);
            default:
                return NumberStatus.NotANumber;
        }
    }

    /// <summary>A JSON number read as the nearest double, as Go reads it (Intercept's comparisons); false for anything else.</summary>
    public bool TryGetDouble(out double value)
    {
        value = 0;
        return _valueKind == JsonValueKind.Number && _kind is JsonKind or UnescapedJsonKind
            && double.TryParse(JsonMarshal.GetRawUtf8Value(_element), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>
    /// A JSON number that is an integer of up to 18 digits, read without <see cref="decimal"/>: the common case
    /// of an ordering test. False for anything else, which <see cref="GetNumber"/> still reads.
    /// </summary>
    public bool TryGetSmallInteger(out long value)
    {
        if (_valueKind == JsonValueKind.Number && _kind is JsonKind or UnescapedJsonKind)
        {
            return TryParseSmallInteger(JsonMarshal.GetRawUtf8Value(_element), out value);
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// The common case of a JSON number, an integer of up to 18 digits, without the general parser. The text is
    /// a valid JSON number already (the document parsed it), so digits alone mean an integer without leading zeros.
    /// </summary>
    private static bool TryParseSmallInteger(ReadOnlySpan<byte> text, out long value)
    {
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        long n = 0;
        if (digits.Length is 0 or > 18)
        {
            value = 0;
            return false;
        }

        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                value = 0;
                return false;
            }

            n = (n * 10) + digit;
        }

        value = negative ? -n : n;
        return true;
    }

    /// <summary>
    /// The string's UTF-8 bytes, in place, when it has no escapes. Ordinal equality, prefix, suffix and
    /// substring tests give the same answers on UTF-8 as on UTF-16, without transcoding.
    /// </summary>
    public bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        if (_valueKind == JsonValueKind.String && _kind is (JsonKind or UnescapedJsonKind))
        {
            var raw = JsonMarshal.GetRawUtf8Value(_element);
            utf8 = raw[1..^1];
            return _kind == UnescapedJsonKind || utf8.IndexOf((byte)'\\') < 0;
        }

        utf8 = default;
        return false;
    }

    /// <summary>
    /// The string's characters. Plain strings are transcoded into <paramref name="scratch"/> (or a pooled
    /// buffer returned through <paramref name="rented"/>); only escaped strings allocate.
    /// </summary>
    public ReadOnlySpan<char> GetChars(Span<char> scratch, scoped ref char[]? rented)
    {
        if (_kind == TextKind)
        {
            return _text.AsSpan();
        }

        var raw = JsonMarshal.GetRawUtf8Value(_element);
        var content = raw[1..^1];
        if (_kind != UnescapedJsonKind && content.IndexOf((byte)'\\') >= 0)
        {
            return JsonText.GetString(_element).AsSpan();
        }

        if (content.Length > scratch.Length)
        {
            rented = ArrayPool<char>.Shared.Rent(content.Length);
            scratch = rented;
        }

        int written = Encoding.UTF8.GetChars(content, scratch);
        return scratch[..written];
    }

    /// <summary>
    /// <see cref="ToCanonical"/> written into <paramref name="buffer"/>, without allocating, for the keys limits
    /// meet most: a string with nothing to escape, and an integer of at most 15 digits, whose canonical forms are
    /// their own text. False for any other value, and when the text does not fit.
    /// </summary>
    public bool TryWriteCanonical(Span<char> buffer, out int written)
    {
        written = 0;
        if (_kind is JsonKind or UnescapedJsonKind && _valueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            // The document has checked the raw text: valid UTF-8, and a string without a backslash holds no
            // quote, control or lone surrogate, so it is canonical as it stands.
            var raw = JsonMarshal.GetRawUtf8Value(_element);
            bool canonical = _valueKind == JsonValueKind.String
                ? _kind == UnescapedJsonKind || raw.IndexOf((byte)'\\') < 0
                : IsShortInteger(raw);
            if (!canonical || raw.Length > buffer.Length)
            {
                return false;
            }

            written = Encoding.UTF8.GetChars(raw, buffer);
            return true;
        }

        if (_kind == TextKind)
        {
            var text = _text.AsSpan();
            if (text.Length + 2 > buffer.Length || text.IndexOfAnyInRange('\0', '\u001f') >= 0 ||
                text.IndexOfAny('"', '\\') >= 0 || text.IndexOfAnyInRange('\ud800', '\udfff') >= 0)
            {
                return false;
            }

            buffer[0] = '"';
            text.CopyTo(buffer[1..]);
            buffer[text.Length + 1] = '"';
            written = text.Length + 2;
            return true;
        }

        return false;
    }

    /// <summary><c>0</c>, or an optional minus and 1–15 digits without a leading zero: what ECMAScript prints back unchanged.</summary>
    private static bool IsShortInteger(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 1 && raw[0] == (byte)'0')
        {
            return true;
        }

        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        return digits.Length is >= 1 and <= 15 && digits[0] != (byte)'0' && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    /// <summary>The value as RFC 8785 canonical JSON, for per-value limit keys.</summary>
    public string ToCanonical() => _kind switch
    {
        JsonKind or UnescapedJsonKind => CanonicalJson.Serialize(_element),
        TextKind => CanonicalString(_text!),
        _ => "{}",
    };

    private static string CanonicalString(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        CanonicalJson.WriteString(sb, s);
        return sb.ToString();
    }
}
