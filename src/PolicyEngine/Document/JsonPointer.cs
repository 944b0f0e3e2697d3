namespace PolicyEngine.Document;

/// <summary>RFC 6901 pointers: <c>~</c> is written <c>~0</c> and <c>/</c> is written <c>~1</c>.</summary>
internal static class JsonPointer
{
    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    public static string Escape(string token) =>
        token.Contains('~', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)
            ? token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : token;

    public static string Unescape(string token) =>
        token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
