using System.Text;
using PolicyEngine.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyEngine.Document;

/// <summary>
/// Reads a YAML policy into the same <see cref="JNode"/>s as <see cref="SourceReader"/>, limited to the JSON data
/// model: mappings with scalar keys, sequences, strings, JSON numbers, booleans and null. Anchors, aliases and tags are
/// rejected where they appear, so an alias bomb ("billion laughs") fails at its first anchor without expanding
/// anything; one document only; duplicate keys are errors, as in JSON. Plain scalars resolve by YAML 1.2's core
/// schema, and a number that JSON cannot write as it stands (<c>0x1F</c>, <c>+1</c>, <c>007</c>, <c>.inf</c>) is an
/// error rather than a guess. Positions are byte offsets into the source, so errors read <c>LINE:COL</c> as in JSON.
/// </summary>
internal static class YamlReader
{
    /// <summary>Whether <paramref name="source"/> is read as YAML: it starts (after blanks and comments' #) with neither <c>{</c> nor another JSON value.</summary>
    public static bool LooksLikeYaml(ReadOnlySpan<byte> source)
    {
        int i = source.IndexOfAnyExcept(" \t\r\n"u8);
        if (i < 0)
        {
            return false; // blank: the JSON reader says it is empty
        }

        byte first = source[i];
        return first == '#' || first == '%' || char.IsAsciiLetter((char)first) || source[i..].StartsWith("---"u8);
    }

    public static JNode? Read(ReadOnlySpan<byte> source, Diagnostics diagnostics, CanonicalBuilder? canonical = null)
    {
        var reader = new Reader(source.ToArray(), diagnostics, canonical);
        return reader.Run();
    }

    private sealed class Reader(byte[] source, Diagnostics diagnostics, CanonicalBuilder? canonical)
    {
        // A byte order mark is not part of the text the parser sees (it would start a plain scalar); offsets skip it.
        private readonly int _start = source.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        private readonly JTree _tree = new(source.Length);
        private Parser? _parser;
        private long _charCursor; // the char index that _byteCursor stands at: marks come in order, so the walk is linear
        private int _byteCursor;
        private bool _failed;

        private Parser Events => _parser!;

        public JNode? Run()
        {
            _byteCursor = _start;
            _parser = new Parser(new StringReader(Encoding.UTF8.GetString(source, _start, source.Length - _start)));
            try
            {
                Events.Consume<StreamStart>();
                if (Events.Accept<StreamEnd>(out _))
                {
                    diagnostics.AddAt("", 0, ValidationMessages.EmptyFile);
                    return Discard();
                }

                Events.Consume<DocumentStart>();
                ReadNode(-1, null, 0, "", 1);
                if (!_failed)
                {
                    Events.Consume<DocumentEnd>();
                    if (!Events.Accept<StreamEnd>(out _))
                    {
                        Fail("", Events.Current!.Start, ValidationMessages.YamlSecondDocument);
                    }
                }
            }
            catch (Exception ex) when (ex is not YamlException && ex is InvalidOperationException or ArgumentException or FormatException or OverflowException
                or IndexOutOfRangeException or InvalidCastException or NullReferenceException or KeyNotFoundException)
            {
                // YamlDotNet's scanner and parser throw these, not a YamlException, on some malformed input (found by fuzzing):
                // still a document that cannot be read, reported as such, never an exception out of Policy.Parse.
                Fail("", Mark.Empty, ValidationMessages.YamlUnreadable(Trim(ex.Message)));
            }
            catch (YamlException ex)
            {
                int tab = ex.Message.Contains("tab", StringComparison.Ordinal) ? IndentingTab(Offset(ex.Start)) : -1;
                if (tab >= 0)
                {
                    diagnostics.AddAt("", tab, ValidationMessages.YamlTabIndent);
                    _failed = true; // the parser marks the mapping that holds the tab, not the tab: this says where it is
                }
                else
                {
                    Fail("", ex.End, ValidationMessages.InvalidYaml(Trim(ex.Message))); // End: where the parser found the problem
                }
            }

            return _failed ? Discard() : _tree.Root;
        }

        private JNode? Discard()
        {
            _tree.Dispose();
            return null;
        }

        private void Fail(string pointer, Mark at, string message)
        {
            if (!_failed)
            {
                diagnostics.AddAt(pointer, Offset(at), message);
                _failed = true;
            }
        }

        /// <summary>Reads one node under <paramref name="parent"/>; -1 when reading failed (already reported).</summary>
        private int ReadNode(int parent, string? key, int slot, string pointer, int depth)
        {
            var e = Events.Consume<ParsingEvent>();
            if (e is AnchorAlias)
            {
                Fail(pointer, e.Start, ValidationMessages.YamlAlias);
                return -1;
            }

            var node = (NodeEvent)e;
            if (!node.Anchor.IsEmpty)
            {
                Fail(pointer, e.Start, ValidationMessages.YamlAnchor);
                return -1;
            }

            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
            {
                Fail(pointer, e.Start, ValidationMessages.YamlTag(node.Tag.ToString()));
                return -1;
            }

            if (depth > SourceReader.MaxDepth)
            {
                Fail(pointer, e.Start, ValidationMessages.NestedTooDeep);
                return -1;
            }

            int offset = Offset(e.Start);
            return node switch
            {
                Scalar scalar => ReadScalar(scalar, parent, key, slot, pointer, offset),
                SequenceStart => ReadSequence(_tree.Add(JKind.Array, offset, parent, key, slot), pointer, depth),
                _ => ReadMapping(_tree.Add(JKind.Object, offset, parent, key, slot), pointer, depth),
            };
        }

        private int ReadMapping(int node, string pointer, int depth)
        {
            int mark = canonical?.Begin((byte)'{') ?? 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int last = 0;
            while (!_failed && !Events.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = Events.Consume<ParsingEvent>();
                if (keyEvent is not Scalar { Anchor.IsEmpty: true, Tag.IsEmpty: true } k)
                {
                    Fail(pointer, keyEvent.Start, ValidationMessages.YamlComplexKey);
                    return node;
                }

                string name = k.Value;
                int nameOffset = Offset(k.Start);
                int canonicalStart = canonical?.Name(seen.Count == 0, default, escaped: true, name) ?? 0;
                string child = JsonPointer.Append(pointer, name);
                int value = ReadNode(node, name, nameOffset, child, depth + 1);
                if (value < 0)
                {
                    return node;
                }

                canonical?.Member(name, canonicalStart);
                if (!seen.Add(name))
                {
                    diagnostics.AddAt(child, nameOffset, ValidationMessages.DuplicateKey(name));
                    continue;
                }

                _tree.Link(node, last, value);
                last = value;
            }

            canonical?.EndObject(mark);
            return node;
        }

        private int ReadSequence(int node, string pointer, int depth)
        {
            canonical?.Begin((byte)'[');
            int i = 0;
            int last = 0;
            while (!_failed && !Events.TryConsume<SequenceEnd>(out _))
            {
                canonical?.Separator(first: i == 0);
                int item = ReadNode(node, null, i, pointer + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), depth + 1);
                if (item < 0)
                {
                    return node;
                }

                _tree.Link(node, last, item);
                last = item;
                i++;
            }

            canonical?.EndArray();
            return node;
        }

        private int ReadScalar(Scalar scalar, int parent, string? key, int slot, string pointer, int offset)
        {
            string text = scalar.Value;
            if (scalar.Style != ScalarStyle.Plain)
            {
                canonical?.String(default, escaped: true, text);
                return _tree.Add(JKind.String, offset, parent, key, slot, text);
            }

            switch (YamlScalars.Resolve(text))
            {
                case YamlScalars.Kind.Null:
                    canonical?.Literal("null"u8);
                    return _tree.Add(JKind.Null, offset, parent, key, slot);
                case YamlScalars.Kind.True:
                    canonical?.Literal("true"u8);
                    return _tree.Add(JKind.True, offset, parent, key, slot);
                case YamlScalars.Kind.False:
                    canonical?.Literal("false"u8);
                    return _tree.Add(JKind.False, offset, parent, key, slot);
                case YamlScalars.Kind.Number:
                    var raw = Encoding.UTF8.GetBytes(text);
                    canonical?.Number(raw);
                    return _tree.AddNumber(offset, parent, key, slot, raw);
                case YamlScalars.Kind.NotJsonNumber:
                    Fail(pointer, scalar.Start, ValidationMessages.YamlNumber(text));
                    return -1;
                default:
                    canonical?.String(default, escaped: true, text);
                    return _tree.Add(JKind.String, offset, parent, key, slot, text);
            }
        }

        /// <summary>The byte offset of a mark (a char index into the decoded text), walking forward from the last one.</summary>
        private int Offset(Mark mark)
        {
            long target = Math.Max(0, mark.Index);
            if (target < _charCursor)
            {
                _charCursor = 0;
                _byteCursor = _start;
            }

            while (_charCursor < target && _byteCursor < source.Length)
            {
                byte b = source[_byteCursor];
                int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                _byteCursor += length;
                _charCursor += length == 4 ? 2 : 1; // a 4-byte sequence is a surrogate pair: two chars
            }

            return Math.Min(_byteCursor, source.Length);
        }

        /// <summary>The offset of the first tab in a line's indentation at or after <paramref name="from"/>, or -1.</summary>
        private int IndentingTab(int from)
        {
            bool lineStart = true;
            for (int i = from; i < source.Length; i++)
            {
                byte b = source[i];
                if (b == '\n')
                {
                    lineStart = true;
                }
                else if (b == '\t' && lineStart)
                {
                    return i;
                }
                else if (b != ' ')
                {
                    lineStart = false;
                }
            }

            return -1;
        }

        // YamlDotNet's messages start with the position, which the error line already gives.
        private static string Trim(string message)
        {
            int close = message.IndexOf("): ", StringComparison.Ordinal);
            return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
        }
    }
}
