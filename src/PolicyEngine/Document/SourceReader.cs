using System.Text.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Reads policy text into <see cref="JNode"/>s, keeping source positions. Strict JSON: no comments, no
/// trailing commas, and duplicate keys are errors (a later key silently winning is how typos pass review).
/// </summary>
internal static class SourceReader
{
    private const int MaxDepth = 64;

    public static JNode? Read(byte[] source, Diagnostics diagnostics)
    {
        var reader = new Utf8JsonReader(source, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });

        JNode? current = null; // the innermost container being read, so a syntax error can say where
        try
        {
            if (!reader.Read())
            {
                diagnostics.AddAt("", 0, "The document is empty.");
                return null;
            }

            var root = ReadValue(ref reader, null, null, 0, diagnostics, ref current);
            if (reader.Read())
            {
                diagnostics.AddAt("", (int)reader.TokenStartIndex, "Unexpected data after the end of the document.");
            }

            return root;
        }
        catch (JsonException ex)
        {
            diagnostics.AddAtLine(current?.Pointer ?? "", ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0, "Invalid JSON: " + Trim(ex.Message));
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // Thrown for strings that cannot be read as text (invalid UTF-8, lone surrogate escapes).
            diagnostics.AddAt(current?.Pointer ?? "", (int)Math.Min(reader.TokenStartIndex, source.Length), "Invalid JSON string: " + Trim(ex.Message));
            return null;
        }
    }

    private static JNode ReadValue(ref Utf8JsonReader reader, JNode? parent, string? key, int index, Diagnostics diagnostics, ref JNode? current)
    {
        int offset = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JNode(JKind.Object, offset, parent, key, index);
                current = node;
                HashSet<string>? seen = null; // only large objects pay for a set; small ones are scanned
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    int nameOffset = (int)reader.TokenStartIndex;
                    reader.Read();
                    var value = ReadValue(ref reader, node, name, 0, diagnostics, ref current);
                    current = node;
                    if (IsDuplicate(node, name, ref seen))
                    {
                        diagnostics.AddAt(value.Pointer, nameOffset, $"Duplicate key '{name}'.");
                    }
                    else
                    {
                        node.Add(new JMember(name, nameOffset, value));
                    }
                }

                return node;
            }

            case JsonTokenType.StartArray:
            {
                var node = new JNode(JKind.Array, offset, parent, key, index);
                current = node;
                int i = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    node.Add(ReadValue(ref reader, node, null, i++, diagnostics, ref current));
                    current = node;
                }

                return node;
            }

            case JsonTokenType.String:
                return new JNode(JKind.String, offset, parent, key, index) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new JNode(JKind.Number, offset, parent, key, index) { Text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new JNode(JKind.True, offset, parent, key, index);
            case JsonTokenType.False:
                return new JNode(JKind.False, offset, parent, key, index);
            default:
                return new JNode(JKind.Null, offset, parent, key, index);
        }
    }

    private static bool IsDuplicate(JNode obj, string name, ref HashSet<string>? seen)
    {
        var members = obj.Members;
        if (seen is null && members.Count < 16)
        {
            return obj.Get(name) is not null;
        }

        if (seen is null)
        {
            seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in members)
            {
                seen.Add(m.Name);
            }
        }

        return !seen.Add(name);
    }

    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
