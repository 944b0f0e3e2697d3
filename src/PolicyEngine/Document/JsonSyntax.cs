using System.Text.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Says what is wrong with text that is not strict JSON in the terms of the person who wrote it: comments and trailing
/// commas are not allowed, the file is empty, a policy is JSON and not YAML. The reader's own message ("Change the
/// reader options", "when isFinalBlock is true") speaks of an API the user cannot touch; it is kept only for what is
/// not recognized here.
/// </summary>
internal static class JsonSyntax
{

    /// <summary>Whether the source holds nothing but white space (and a byte order mark).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> source)
    {
        if (source.StartsWith("\xEF\xBB\xBF"u8))
        {
            source = source[3..];
        }

        return source.IndexOfAnyExcept(" \t\r\n"u8) < 0;
    }

    /// <summary>
    /// The message for a syntax error at <paramref name="offset"/> (a byte offset into <paramref name="source"/>); a
    /// trailing comma moves the offset onto the comma, the character to remove.
    /// </summary>
    public static string Describe(ReadOnlySpan<byte> source, ref int offset, JsonException error)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var at = source[offset..];
        if (at.StartsWith("//"u8) || at.StartsWith("/*"u8))
        {
            return ValidationMessages.Comments;
        }

        var before = source[..offset].TrimEnd(" \t\r\n"u8);
        if (before.EndsWith(","u8) && (at.StartsWith("}"u8) || at.StartsWith("]"u8)))
        {
            offset = before.Length - 1;
            return ValidationMessages.TrailingComma((char)at[0]);
        }

        if (before.IsEmpty || (before.Length == 3 && before.SequenceEqual("\xEF\xBB\xBF"u8)))
        {
            return ValidationMessages.NeitherJsonNorYaml;
        }

        if (at.IsEmpty || at.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return ValidationMessages.UnclosedAtEnd;
        }

        var message = Trim(error.Message);
        return message.Contains("is an invalid start of a value", StringComparison.Ordinal)
            ? ValidationMessages.InvalidValueStart((char)at[0])
            : ValidationMessages.InvalidJson(message);
    }

    /// <summary>The byte offset of a 0-based line and byte position, as <see cref="JsonException"/> reports them.</summary>
    public static int Offset(ReadOnlySpan<byte> source, long line, long bytePositionInLine)
    {
        int start = 0;
        for (long l = 0; l < line; l++)
        {
            int next = source[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return source.Length;
            }

            start += next + 1;
        }

        return (int)Math.Min(start + bytePositionInLine, source.Length);
    }

    public static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
