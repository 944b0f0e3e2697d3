using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using PolicyEngine.Document;

namespace PolicyEngine.Json;

/// <summary>
/// The SHA-256 of a document's RFC 8785 canonical form, written as UTF-8 straight into the hash through one
/// buffer: the same bytes as <see cref="CanonicalJson"/> would give, without the text of a whole document.
/// </summary>
internal sealed class CanonicalHash : IDisposable
{
    private const int BufferSize = 64 * 1024;

    // What CanonicalJson.WriteString escapes; it and any surrogate (a lone one is escaped) take the slow path.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(Specials());

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;
    private JMember[] _sorted = new JMember[64]; // a stack of the objects being written, each sorted in its own range
    private int _top;

    /// <summary><c>sha256:</c> and the lowercase hex digest of <paramref name="root"/>'s canonical form.</summary>
    public static string Fingerprint(JNode root)
    {
        using var hash = new CanonicalHash();
        hash.Write(root);
        hash.Flush();
        return PinHasher.Prefix + Convert.ToHexStringLower(hash._sha.GetHashAndReset());
    }

    public void Dispose()
    {
        _sha.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private void Write(JNode node)
    {
        switch (node.Kind)
        {
            case JKind.Object:
                WriteObject(node.Members);
                break;
            case JKind.Array:
                Put((byte)'[');
                var items = node.Items;
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        Put((byte)',');
                    }

                    Write(items[i]);
                }

                Put((byte)']');
                break;
            case JKind.String:
                WriteString(node.Text!);
                break;
            case JKind.Number:
                WriteNumber(node.Text!);
                break;
            case JKind.True:
                PutAscii("true");
                break;
            case JKind.False:
                PutAscii("false");
                break;
            default:
                PutAscii("null");
                break;
        }
    }

    private void WriteObject(JMember[] members)
    {
        // Sorted by UTF-16 code units in a copy on the stack of ranges; the node keeps document order.
        int start = _top;
        if (start + members.Length > _sorted.Length)
        {
            Array.Resize(ref _sorted, Math.Max(_sorted.Length * 2, start + members.Length));
        }

        _top += members.Length;
        var span = _sorted.AsSpan(start, members.Length);
        members.CopyTo(span);
        Sort(span);
        Put((byte)'{');
        for (int i = 0; i < span.Length; i++)
        {
            if (i > 0)
            {
                Put((byte)',');
            }

            WriteString(span[i].Name);
            Put((byte)':');
            Write(span[i].Value);
        }

        Put((byte)'}');
        span.Clear();
        _top = start;
    }

    /// <summary>Insertion sort for the few members most objects have; names are unique, so stability is moot.</summary>
    private static void Sort(Span<JMember> members)
    {
        if (members.Length > 16)
        {
            members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return;
        }

        for (int i = 1; i < members.Length; i++)
        {
            var m = members[i];
            int j = i - 1;
            while (j >= 0 && string.CompareOrdinal(members[j].Name, m.Name) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }

            members[j + 1] = m;
        }
    }

    private void WriteString(string s)
    {
        if (s.AsSpan().ContainsAny(Escaped) || s.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            var sb = new StringBuilder(s.Length + 8);
            CanonicalJson.WriteString(sb, s);
            PutText(sb.ToString()); // escaped: no lone surrogate is left, so it encodes on its own
            return;
        }

        Put((byte)'"');
        PutText(s);
        Put((byte)'"');
    }

    /// <summary>An integer of at most 15 digits is its own ECMAScript form (a double holds it exactly); others take the general path.</summary>
    private void WriteNumber(string raw)
    {
        var digits = raw.AsSpan(raw.StartsWith('-') ? 1 : 0);
        if (digits.Length is >= 1 and <= 15 && !digits.ContainsAnyExceptInRange('0', '9') && (digits[0] != '0' || digits.Length == 1))
        {
            PutAscii(digits.Length == 1 && digits[0] == '0' ? "0" : raw); // -0 is 0
            return;
        }

        var sb = new StringBuilder();
        CanonicalJson.WriteNumber(sb, raw);
        PutText(sb.ToString());
    }

    private void PutText(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > BufferSize)
        {
            Flush();
            _sha.AppendData(Encoding.UTF8.GetBytes(text));
            return;
        }

        if (_used + max > BufferSize)
        {
            Flush();
        }

        _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
    }

    private void PutAscii(string text)
    {
        if (_used + text.Length > BufferSize)
        {
            Flush();
        }

        _used += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_used));
    }

    private void Put(byte b)
    {
        if (_used == BufferSize)
        {
            Flush();
        }

        _buffer[_used++] = b;
    }

    private void Flush()
    {
        _sha.AppendData(_buffer, 0, _used);
        _used = 0;
    }

    private static string Specials()
    {
        var chars = new StringBuilder("\"\\");
        for (char c = '\0'; c < ' '; c++)
        {
            chars.Append(c);
        }

        return chars.ToString();
    }
}
