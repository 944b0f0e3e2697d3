using System.Text.Json;
using PolicyEngine.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Reads policy text into <see cref="JNode"/>s, keeping source positions. Strict JSON: no comments, no
/// trailing commas, and duplicate keys are errors (a later key silently winning is how typos pass review).
/// </summary>
internal static class SourceReader
{
    /// <summary>The deepest nesting of objects and arrays a policy document may have, in JSON and in YAML.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads the document; <paramref name="canonical"/>, if given, receives its canonical form as it goes.</summary>
    public static JNode? Read(ReadOnlySpan<byte> source, Diagnostics diagnostics, CanonicalBuilder? canonical = null)
    {
        var reader = new Utf8JsonReader(source, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });

        var builder = new Builder(diagnostics, canonical, source.Length);
        try
        {
            // The reader calls an empty input an error "when isFinalBlock is true"; the user needs to hear it is empty.
            if (JsonSyntax.IsBlank(source) || !reader.Read())
            {
                diagnostics.AddAt("", 0, ValidationMessages.EmptyFile);
                return builder.Discard();
            }

            builder.ReadValue(ref reader, -1, null, 0);
            if (reader.Read())
            {
                diagnostics.AddAt("", (int)reader.TokenStartIndex, ValidationMessages.DataAfterEnd);
            }

            return builder.Tree.Root;
        }
        catch (JsonException ex)
        {
            int offset = JsonSyntax.Offset(source, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
            string message = JsonSyntax.Describe(source, ref offset, ex);
            diagnostics.AddAt(builder.ErrorPointer, offset, message);
            return builder.Discard();
        }
        catch (InvalidOperationException ex)
        {
            // Thrown for strings that cannot be read as text (invalid UTF-8, lone surrogate escapes).
            diagnostics.AddAt(builder.CurrentPointer, (int)Math.Min(reader.TokenStartIndex, source.Length), ValidationMessages.InvalidJsonString(JsonSyntax.Trim(ex.Message)));
            return builder.Discard();
        }
    }

    /// <summary>One read's state: the tree being filled and the innermost container, so a syntax error can say where.</summary>
    private sealed class Builder(Diagnostics diagnostics, CanonicalBuilder? canonical, int sourceLength)
    {
        private readonly NameTable _names = new();
        private readonly Stack<MemberIndex> _spareIndexes = new(); // one per large object open at once, reused

        // For ErrorPointer only: the name whose value is being read, and the last child read in the current container.
        private string? _pendingName;
        private int _lastChild = -1;

        public JTree Tree { get; } = new(sourceLength);

        /// <summary>The innermost container being read, or -1.</summary>
        public int Current { get; private set; } = -1;

        public string CurrentPointer => Current < 0 ? "" : Tree.Pointer(Current);

        /// <summary>
        /// Where a syntax error is: the member whose value was being read, else the last value read in the innermost
        /// container (a comment or a trailing comma follows it), else the container.
        /// </summary>
        public string ErrorPointer =>
            _pendingName is not null ? JsonPointer.Append(CurrentPointer, _pendingName)
            : _lastChild >= 0 ? Tree.Pointer(_lastChild)
            : CurrentPointer;

        /// <summary>Gives the tree's arrays back when there is no document to return.</summary>
        public JNode? Discard()
        {
            Tree.Dispose();
            return null;
        }

        public int ReadValue(ref Utf8JsonReader reader, int parent, string? key, int slot)
        {
            int offset = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, Tree.Add(JKind.Object, offset, parent, key, slot));
                case JsonTokenType.StartArray:
                    return ReadArray(ref reader, Tree.Add(JKind.Array, offset, parent, key, slot));
                case JsonTokenType.String:
                    string text = _names.GetString(ref reader);
                    canonical?.String(reader.ValueSpan, reader.ValueIsEscaped, text);
                    return Tree.Add(JKind.String, offset, parent, key, slot, text);
                case JsonTokenType.Number:
                    canonical?.Number(reader.ValueSpan);
                    return Tree.AddNumber(offset, parent, key, slot, reader.ValueSpan);
                case JsonTokenType.True:
                    canonical?.Literal("true"u8);
                    return Tree.Add(JKind.True, offset, parent, key, slot);
                case JsonTokenType.False:
                    canonical?.Literal("false"u8);
                    return Tree.Add(JKind.False, offset, parent, key, slot);
                default:
                    canonical?.Literal("null"u8);
                    return Tree.Add(JKind.Null, offset, parent, key, slot);
            }
        }

        private int ReadObject(ref Utf8JsonReader reader, int node)
        {
            Current = node;
            _pendingName = null;
            _lastChild = -1;
            int mark = canonical?.Begin((byte)'{') ?? 0;
            bool first = true; // in the canonical form: a duplicate (an error) is written too, since such a document is never fingerprinted
            MemberIndex? index = null; // only large objects pay for an index; small ones are scanned
            int hash = 0; // the name's, when there is an index
            int last = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = _names.GetString(ref reader);
                int nameOffset = (int)reader.TokenStartIndex;
                int canonicalStart = canonical?.Name(first, reader.ValueSpan, reader.ValueIsEscaped, name) ?? 0;

                first = false;
                _pendingName = name;
                reader.Read();
                int value = ReadValue(ref reader, node, name, nameOffset);
                canonical?.Member(name, canonicalStart);
                Current = node;
                _pendingName = null;
                _lastChild = value;
                if (IsDuplicate(node, name, ref index, ref hash))
                {
                    diagnostics.AddAt(Tree.Pointer(value), nameOffset, ValidationMessages.DuplicateKey(name));
                }
                else
                {
                    Tree.Link(node, last, value);
                    index?.Add(value, hash);
                    last = value;
                }
            }

            if (index is not null)
            {
                index.Stop();
                _spareIndexes.Push(index);
            }

            canonical?.EndObject(mark);
            return node;
        }

        private int ReadArray(ref Utf8JsonReader reader, int node)
        {
            Current = node;
            _pendingName = null;
            _lastChild = -1;
            canonical?.Begin((byte)'[');
            int i = 0;
            int last = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                canonical?.Separator(first: i == 0);
                int item = ReadValue(ref reader, node, null, i++);
                Tree.Link(node, last, item);
                last = item;
                Current = node;
                _lastChild = item;
            }

            canonical?.EndArray();
            return node;
        }

        private bool IsDuplicate(int node, string name, ref MemberIndex? index, ref int hash)
        {
            var tree = Tree;
            if (index is null && tree.Count(node) < 16)
            {
                for (int child = tree.First(node); child != 0; child = tree.Next(child))
                {
                    if (string.Equals(tree.Key(child), name, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (index is null)
            {
                index = _spareIndexes.TryPop(out var spare) ? spare : new MemberIndex();
                index.Start(tree, node);
            }

            hash = MemberIndex.Hash(name);
            return index.Contains(name, hash);
        }
    }
}
