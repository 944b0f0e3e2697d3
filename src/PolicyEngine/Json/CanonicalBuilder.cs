using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace PolicyEngine.Json;

/// <summary>
/// Writes a document's RFC 8785 canonical form as UTF-8 while the reader goes through it, so the fingerprint
/// needs no second walk: members go out in document order and an object whose names are out of order is
/// rewritten in place. Gives the bytes <see cref="CanonicalJson"/> would with exact numbers, for a document that
/// reads without errors: a number is written in RFC 8785's form when a double holds it exactly, and exactly
/// otherwise, so policies that differ only in <c>9007199254740993</c> and <c>…992</c> get different fingerprints.
/// </summary>
internal sealed class CanonicalBuilder : IDisposable
{
    private const int SmallObject = 1024;

    // What CanonicalJson.WriteString escapes; it and any surrogate (a lone one is escaped) take the general path.
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    // The members of the objects being written, innermost last; rented, as the buffer is, so a host reloading a large policy reuses both.
    private Segment[] _members = ArrayPool<Segment>.Shared.Rent(64);
    private int _memberCount;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _used;

    /// <summary><c>sha256:</c> and the lowercase hex digest of what was written.</summary>
    public string Fingerprint() => PinHasher.Prefix + Convert.ToHexStringLower(SHA256.HashData(_buffer.AsSpan(0, _used)));

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        ReturnMembers([]);
    }

    /// <summary>A string token: its raw bytes when it has no escapes (valid JSON text needs none in canonical form), else its text.</summary>
    public void String(ReadOnlySpan<byte> raw, bool escaped, string text)
    {
        if (!escaped)
        {
            var span = Take(raw.Length + 2);
            span[0] = (byte)'"';
            raw.CopyTo(span[1..]);
            span[^1] = (byte)'"';
        }
        else if (text.AsSpan().ContainsAny(Escaped) || text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            var sb = new StringBuilder(text.Length + 8);
            CanonicalJson.WriteString(sb, text);
            PutText(sb.ToString()); // escaped: no lone surrogate is left, so it encodes on its own
        }
        else
        {
            Put((byte)'"');
            PutText(text);
            Put((byte)'"');
        }
    }

    /// <summary>An integer of at most 15 digits is its own ECMAScript form (a double holds it exactly); others take the exact path.</summary>
    public void Number(ReadOnlySpan<byte> raw)
    {
        var digits = raw[(raw.Length > 0 && raw[0] == '-' ? 1 : 0)..];
        if (digits.Length is >= 1 and <= 15 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9') && (digits[0] != '0' || digits.Length == 1))
        {
            Put(digits.Length == 1 && digits[0] == '0' ? "0"u8 : raw); // -0 is 0
            return;
        }

        var sb = new StringBuilder();
        CanonicalJson.WriteExactNumber(sb, Encoding.UTF8.GetString(raw));
        PutText(sb.ToString());
    }

    public void Literal(ReadOnlySpan<byte> text) => Put(text);

    /// <summary>Starts a container; the mark is what <see cref="EndObject"/> needs.</summary>
    public int Begin(byte open)
    {
        Put(open);
        return _memberCount;
    }

    /// <summary>Before each item or member but the first.</summary>
    public void Separator(bool first)
    {
        if (!first)
        {
            Put((byte)',');
        }
    }

    /// <summary>A member's name and colon, after a comma unless it is the <paramref name="first"/>; returns where the member (<c>"name":value</c>) starts.</summary>
    public int Name(bool first, ReadOnlySpan<byte> raw, bool escaped, string name)
    {
        Separator(first);
        int start = _used;
        if (!escaped)
        {
            var span = Take(raw.Length + 3);
            span[0] = (byte)'"';
            raw.CopyTo(span[1..]);
            span[^2] = (byte)'"';
            span[^1] = (byte)':';
        }
        else
        {
            String(raw, escaped, name);
            Put((byte)':');
        }

        return start;
    }

    public void Member(string name, int start)
    {
        if (_memberCount == _members.Length)
        {
            var larger = ArrayPool<Segment>.Shared.Rent(_members.Length * 2);
            _members.AsSpan(0, _memberCount).CopyTo(larger);
            ReturnMembers(larger);
        }

        _members[_memberCount++] = new Segment(name, start, _used);
    }

    public void EndArray() => Put((byte)']');

    public void EndObject(int mark)
    {
        var members = _members.AsSpan(mark, _memberCount - mark);
        if (!IsSorted(members))
        {
            Reorder(members);
        }

        members.Clear(); // a pooled array keeps no name alive
        _memberCount = mark;
        Put((byte)'}');
    }

    /// <summary>Gives the members' array back (its used part cleared) and takes <paramref name="next"/> in its place.</summary>
    private void ReturnMembers(Segment[] next)
    {
        _members.AsSpan(0, _memberCount).Clear();
        ArrayPool<Segment>.Shared.Return(_members);
        _members = next;
    }

    private static bool IsSorted(ReadOnlySpan<Segment> members)
    {
        for (int i = 1; i < members.Length; i++)
        {
            if (string.CompareOrdinal(members[i - 1].Name, members[i].Name) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the members again, sorted by UTF-16 code units, over where they stood.</summary>
    private void Reorder(Span<Segment> members)
    {
        int start = members[0].Start;
        int length = _used - start;

        // Most reordered objects are a condition or a rule block: a few hundred bytes, copied aside on the stack.
        byte[]? rented = null;
        Span<byte> copy = length <= SmallObject ? stackalloc byte[SmallObject] : (rented = ArrayPool<byte>.Shared.Rent(length));
        _buffer.AsSpan(start, length).CopyTo(copy);
        SortByName(members);
        _used = start;
        for (int i = 0; i < members.Length; i++)
        {
            Separator(i == 0);
            Put(copy.Slice(members[i].Start - start, members[i].End - members[i].Start));
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Insertion sort for the few members most objects have; the general sort for more.</summary>
    private static void SortByName(Span<Segment> members)
    {
        if (members.Length > 16)
        {
            members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return;
        }

        for (int i = 1; i < members.Length; i++)
        {
            var current = members[i];
            int j = i - 1;
            for (; j >= 0 && string.CompareOrdinal(members[j].Name, current.Name) > 0; j--)
            {
                members[j + 1] = members[j];
            }

            members[j + 1] = current;
        }
    }

    private void PutText(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
    }

    private void Put(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    private void Put(byte b)
    {
        if (_used < _buffer.Length)
        {
            _buffer[_used++] = b;
        }
        else
        {
            Take(1)[0] = b;
        }
    }

    /// <summary>The next <paramref name="count"/> bytes of the buffer, counted as written: the caller fills them.</summary>
    private Span<byte> Take(int count)
    {
        Reserve(count);
        var span = _buffer.AsSpan(_used, count);
        _used += count;
        return span;
    }

    // Only the check is inlined into the writes; growing is rare.
    private void Reserve(int count)
    {
        if (_buffer.Length - _used < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_used + count)));
        _buffer.AsSpan(0, _used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>One member of an object being written: its name and where its bytes stand.</summary>
    private readonly record struct Segment(string Name, int Start, int End);
}
