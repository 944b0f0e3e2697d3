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

        // The offset of the BOM, if any, is skipped by the reader itself.
        string pointer = "";
        try
        {
            if (!reader.Read())
            {
                diagnostics.AddAt("", 0, "The document is empty.");
                return null;
            }

            var root = ReadValue(ref reader, "", diagnostics, ref pointer);
            if (reader.Read())
            {
                diagnostics.AddAt("", (int)reader.TokenStartIndex, "Unexpected data after the end of the document.");
            }

            return root;
        }
        catch (JsonException ex)
        {
            diagnostics.AddAtLine(pointer, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0, "Invalid JSON: " + Trim(ex.Message));
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // Thrown for strings that cannot be read as text (invalid UTF-8, lone surrogate escapes).
            diagnostics.AddAt(pointer, (int)Math.Min(reader.TokenStartIndex, source.Length), "Invalid JSON string: " + Trim(ex.Message));
            return null;
        }
    }

    private static JNode ReadValue(ref Utf8JsonReader reader, string pointer, Diagnostics diagnostics, ref string current)
    {
        current = pointer;
        int offset = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JNode(JKind.Object, offset, pointer);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    int nameOffset = (int)reader.TokenStartIndex;
                    string childPointer = JsonPointer.Append(pointer, name);
                    reader.Read();
                    var value = ReadValue(ref reader, childPointer, diagnostics, ref current);
                    if (seen.Add(name))
                    {
                        node.Members.Add(new JMember(name, nameOffset, value));
                    }
                    else
                    {
                        diagnostics.AddAt(childPointer, nameOffset, $"Duplicate key '{name}'.");
                    }

                    current = pointer;
                }

                return node;
            }

            case JsonTokenType.StartArray:
            {
                var node = new JNode(JKind.Array, offset, pointer);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    node.Items.Add(ReadValue(ref reader, JsonPointer.Append(pointer, node.Items.Count), diagnostics, ref current));
                    current = pointer;
                }

                return node;
            }

            case JsonTokenType.String:
                return new JNode(JKind.String, offset, pointer) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new JNode(JKind.Number, offset, pointer) { Text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new JNode(JKind.True, offset, pointer);
            case JsonTokenType.False:
                return new JNode(JKind.False, offset, pointer);
            default:
                return new JNode(JKind.Null, offset, pointer);
        }
    }

    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
