using System.Globalization;
using System.Text.Json;
using PolicyEngine.DecisionTree;
using PolicyEngine.Document;

namespace PolicyEngine.Compilation;

/// <summary>Parses path text: <c>args</c> then <c>.name</c>, <c>[index]</c> or <c>["any key"]</c>; <c>context.NAME</c> likewise; <c>session</c>; <c>tool</c>.</summary>
internal static class PathParser
{
    public const int MaxLength = 1024;
    public const int MaxSegments = 64;

    public static bool TryParse(string text, out ValuePath? path, out string error)
    {
        path = null;
        error = "";
        if (text.Length is 0 or > MaxLength)
        {
            error = ValidationMessages.PathLength(MaxLength);
            return false;
        }

        if (text is "session" or "tool")
        {
            path = new ValuePath(text, text == "session" ? PathRoot.Session : PathRoot.Tool, null, []);
            return true;
        }

        PathRoot root;
        int i;
        string? contextName = null;
        if (text.StartsWith("args", StringComparison.Ordinal) && (text.Length == 4 || text[4] is '.' or '['))
        {
            root = PathRoot.Args;
            i = 4;
        }
        else if (text.StartsWith("context.", StringComparison.Ordinal))
        {
            root = PathRoot.Context;
            i = 8;
            int end = i;
            while (end < text.Length && IsNameChar(text[end]))
            {
                end++;
            }

            if (end == i)
            {
                error = ValidationMessages.ContextPath;
                return false;
            }

            contextName = text[i..end];
            i = end;
        }
        else
        {
            error = ValidationMessages.PathStart;
            return false;
        }

        var segments = new List<PathSegment>();
        while (i < text.Length)
        {
            if (segments.Count >= MaxSegments)
            {
                error = ValidationMessages.PathSegments(MaxSegments);
                return false;
            }

            if (text[i] == '.')
            {
                int start = ++i;
                while (i < text.Length && IsNameChar(text[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    error = ValidationMessages.PathPropertyName(start + 1);
                    return false;
                }

                segments.Add(PathSegment.Property(text[start..i]));
            }
            else if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '"')
            {
                if (!TryReadQuoted(text, ref i, out string? key))
                {
                    error = ValidationMessages.PathQuotedKey(i + 1);
                    return false;
                }

                segments.Add(PathSegment.Property(key!));
            }
            else if (text[i] == '[')
            {
                int start = ++i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                bool valid = i > start && i < text.Length && text[i] == ']' && (i - start == 1 || text[start] != '0') && i - start <= 9;
                if (!valid)
                {
                    error = ValidationMessages.PathIndex(start);
                    return false;
                }

                segments.Add(PathSegment.Element(int.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture)));
                i++;
            }
            else
            {
                error = ValidationMessages.PathUnexpected(text[i], i + 1);
                return false;
            }
        }

        path = new ValuePath(text, root, contextName, [.. segments]);
        return true;
    }

    private static bool TryReadQuoted(string text, ref int i, out string? key)
    {
        key = null;
        int start = i + 1; // the opening quote
        int j = start + 1;
        while (j < text.Length && text[j] != '"')
        {
            j += text[j] == '\\' ? 2 : 1;
        }

        if (j + 1 >= text.Length || text[j + 1] != ']')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text[start..(j + 1)]));
            key = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }

        if (key is null)
        {
            return false;
        }

        i = j + 2;
        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$';
}
