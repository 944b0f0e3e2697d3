using System.Runtime.InteropServices;
using System.Text.Json;
using PolicyEngine.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Reads policy text into <see cref="JNode"/>s, keeping source positions. Strict JSON: no comments, no
/// trailing commas, and duplicate keys are errors (a later key silently winning is how typos pass review).
/// </summary>
internal static class SourceReader
{
    private const int MaxDepth = 64;

    /// <summary>Reads the document; <paramref name="canonical"/>, if given, receives its canonical form as it goes.</summary>
    public static JNode? Read(ReadOnlySpan<byte> source, Diagnostics diagnostics, CanonicalBuilder? canonical = null)
    {
        var reader = new Utf8JsonReader(source, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });

        var builder = new Builder(diagnostics, canonical);
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
    private sealed class Builder(Diagnostics diagnostics, CanonicalBuilder? canonical)
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
                    string text = _names.GetString(ref reader);
                    canonical?.String(reader.ValueSpan, reader.ValueIsEscaped, text);
                    return new JNode(JKind.String, offset, parent, key, index, text);
                case JsonTokenType.Number:
                    string number = _names.GetNumberText(reader.ValueSpan);
                    canonical?.Number(number);
                    return new JNode(JKind.Number, offset, parent, key, index, number);
                case JsonTokenType.True:
                    canonical?.Literal("true"u8);
                    return new JNode(JKind.True, offset, parent, key, index);
                case JsonTokenType.False:
                    canonical?.Literal("false"u8);
                    return new JNode(JKind.False, offset, parent, key, index);
                default:
                    canonical?.Literal("null"u8);
                    return new JNode(JKind.Null, offset, parent, key, index);
            }
        }

        private JNode ReadObject(ref Utf8JsonReader reader, JNode node)
        {
            Current = node;
            int start = _members.Count;
            int mark = canonical?.Begin((byte)'{') ?? 0;
            bool first = true; // in the canonical form: a duplicate (an error) is written too, since such a document is never fingerprinted
            HashSet<string>? seen = null; // only large objects pay for a set; small ones are scanned
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = _names.GetString(ref reader);
                int nameOffset = (int)reader.TokenStartIndex;
                int canonicalStart = 0;
                if (canonical is not null)
                {
                    canonical.Separator(first);
                    canonicalStart = canonical.Position;
                    canonical.String(reader.ValueSpan, reader.ValueIsEscaped, name);
                    canonical.Literal(":"u8);
                }

                first = false;
                reader.Read();
                var value = ReadValue(ref reader, node, name, 0);
                canonical?.Member(name, canonicalStart);
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

            canonical?.EndObject(mark);
            node.Members = [.. CollectionsMarshal.AsSpan(_members)[start..]];
            _members.RemoveRange(start, _members.Count - start);
            return node;
        }

        private JNode ReadArray(ref Utf8JsonReader reader, JNode node)
        {
            Current = node;
            int start = _items.Count;
            canonical?.Begin((byte)'[');
            int i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                canonical?.Separator(first: i == 0);
                _items.Add(ReadValue(ref reader, node, null, i++));
                Current = node;
            }

            canonical?.EndArray();
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
