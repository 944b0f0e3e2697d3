using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PolicyEngine.Json;

/// <summary>
/// Keys of bounded size for state that a client's values name (a counter per session or per argument value,
/// a session's pending requests): a text up to a length is its own key, a longer one is keyed by its SHA-256,
/// so no piece of state keeps a client's megabyte alive.
/// </summary>
internal static class CompactKey
{
    /// <summary>The length of a digest key: a marker and 32 bytes, two a char.</summary>
    public const int DigestLength = 17;

    /// <summary>
    /// <paramref name="text"/> itself when it has at most <paramref name="longestPlain"/> chars, else <see cref="Digest"/>.
    /// A text that starts like a digest is digested too, so two different texts never share a key.
    /// </summary>
    public static string Of(string text, int longestPlain) => NeedsDigest(text, longestPlain) ? Digest(text) : text;

    /// <summary>Whether <see cref="Of"/> digests <paramref name="text"/>.</summary>
    public static bool NeedsDigest(string text, int longestPlain) => text.Length > longestPlain || (text.Length > 0 && text[0] == '\u0001');

    /// <summary>
    /// <c>\u0001</c> and the SHA-256 of the text's UTF-16 code units, two bytes a char. The code units are hashed
    /// as they are, so texts that differ only in lone surrogates get different keys.
    /// </summary>
    public static string Digest(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
        Span<char> chars = stackalloc char[DigestLength];
        chars[0] = '\u0001';
        MemoryMarshal.Cast<byte, char>(hash).CopyTo(chars[1..]);
        return new string(chars);
    }

    /// <summary>At most <paramref name="max"/> chars of <paramref name="text"/>, never ending inside a surrogate pair.</summary>
    public static string Preview(string text, int max, out bool truncated)
    {
        truncated = text.Length > max;
        if (!truncated)
        {
            return text;
        }

        int end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }
}
