using System.Runtime.InteropServices;
using System.Text.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Reads policy text into <see cref="JNode"/>s, keeping source positions. Strict JSON: no comments, no
/// trailing commas, and duplicate keys are errors (a later key silently winning is how typos pass review).
/// </summary>
internal static class SourceReader
{
    private const int MaxDepth = 64;

    public static JNode? Read(ReadOnlySpan<byte> source, Diagnostics diagnostics)
    {
        var reader = new Utf8JsonReader(source, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });

        var builder = new Builder(diagnostics);
        try
        {
            if (!reader.Read())
            {
                diagnostics.AddAt("", 0, "The document is empty.");
                return null;
            }

            var root = builder.ReadValue(ref reader, null, null, 0);
            if (reader.Read())
            {
                diagnostics.AddAt("", (int)reader.TokenStartIndex, "Unexpected data after the end of the document.");
            }

            return root;
        }
        catch (JsonException ex)
        {
            diagnostics.AddAtLine(builder.Current?.Pointer ?? "", ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0, "Invalid JSON: " + Trim(ex.Message));
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // Thrown for strings that cannot be read as text (invalid UTF-8, lone surrogate escapes).
            diagnostics.AddAt(builder.Current?.Pointer ?? "", (int)Math.Min(reader.TokenStartIndex, source.Length), "Invalid JSON string: " + Trim(ex.Message));
            return null;
        }
    }

    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }

    /// <summary>
    /// One read's state. Members and items of the containers being read wait on two shared stacks, so each
    /// container gets one array of exactly its size, and no list of its own.
    /// </summary>
    private sealed class Builder(Diagnostics diagnostics)
    {
        private readonly List<JMember> _members = [];
        private readonly List<JNode> _items = [];
        private readonly NameTable _names = new();

        /// <summary>The innermost container being read, so a syntax error can say where.</summary>
        public JNode? Current { get; private set; }

        public JNode ReadValue(ref Utf8JsonReader reader, JNode? parent, string? key, int index)
        {
            int offset = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, new JNode(JKind.Object, offset, parent, key, index));
                case JsonTokenType.StartArray:
                    return ReadArray(ref reader, new JNode(JKind.Array, offset, parent, key, index));
                case JsonTokenType.String:
                    return new JNode(JKind.String, offset, parent, key, index, _names.GetString(ref reader));
                case JsonTokenType.Number:
                    return new JNode(JKind.Number, offset, parent, key, index, _names.GetNumberText(reader.ValueSpan));
                case JsonTokenType.True:
                    return new JNode(JKind.True, offset, parent, key, index);
                case JsonTokenType.False:
                    return new JNode(JKind.False, offset, parent, key, index);
                default:
                    return new JNode(JKind.Null, offset, parent, key, index);
            }
        }

        private JNode ReadObject(ref Utf8JsonReader reader, JNode node)
        {
            Current = node;
            int start = _members.Count;
            HashSet<string>? seen = null; // only large objects pay for a set; small ones are scanned
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = _names.GetString(ref reader);
                int nameOffset = (int)reader.TokenStartIndex;
                reader.Read();
                var value = ReadValue(ref reader, node, name, 0);
                Current = node;
                if (IsDuplicate(start, name, ref seen))
                {
                    diagnostics.AddAt(value.Pointer, nameOffset, $"Duplicate key '{name}'.");
                }
                else
                {
                    _members.Add(new JMember(name, nameOffset, value));
                }
            }

            node.Members = [.. CollectionsMarshal.AsSpan(_members)[start..]];
            _members.RemoveRange(start, _members.Count - start);
            return node;
        }

        private JNode ReadArray(ref Utf8JsonReader reader, JNode node)
        {
            Current = node;
            int start = _items.Count;
            int i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _items.Add(ReadValue(ref reader, node, null, i++));
                Current = node;
            }

            node.Items = [.. CollectionsMarshal.AsSpan(_items)[start..]];
            _items.RemoveRange(start, _items.Count - start);
            return node;
        }

        private bool IsDuplicate(int start, string name, ref HashSet<string>? seen)
        {
            var members = CollectionsMarshal.AsSpan(_members)[start..];
            if (seen is null && members.Length < 16)
            {
                foreach (var m in members)
                {
                    if (string.Equals(m.Name, name, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
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
    }
}
