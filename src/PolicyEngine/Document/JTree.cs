using System.Buffers;
using System.Text;

namespace PolicyEngine.Document;

/// <summary>
/// Every value of one document in one array of structs, linked by index: a large policy has hundreds of
/// thousands of values, and as objects they would all be copied by each garbage collection that runs while
/// the policy compiles. Index 0 is the root; it is nobody's child or sibling, so 0 also means "none".
/// </summary>
internal sealed class JTree : IDisposable
{
    // Rented, as System.Text.Json's JsonDocument rents its token table: a host reloading a large policy reuses
    // the same arrays. The nodes hold no references, so the collector never scans them and they need no clearing.
    private Node[] _nodes;
    private string?[] _keys; // the member name; null for an array item and the root
    private string?[] _texts; // a string's value; a number's raw text once asked for
    private byte[] _numbers; // the numbers' raw UTF-8 text, one after the other: most are only ever parsed, so no string is made
    private int _numbersUsed;
    private string?[]? _pointers; // built only when asked for: most values never need one
    private int _count;

    public JTree(int sourceLength)
    {
        int capacity = Math.Clamp(sourceLength / 12, 16, 1 << 20);
        _nodes = ArrayPool<Node>.Shared.Rent(capacity);
        _keys = ArrayPool<string?>.Shared.Rent(capacity);
        _texts = ArrayPool<string?>.Shared.Rent(capacity);
        _numbers = ArrayPool<byte>.Shared.Rent(Math.Clamp(sourceLength / 16, 256, 1 << 20));
    }

    public JNode Root => new(this, 0);

    /// <summary>
    /// Set on a tree translated from an Intercept document: its ordering conditions compare JSON numbers only, as
    /// Intercept does (a numeric string never passes <c>lte</c> there).
    /// </summary>
    public bool InterceptSemantics { get; init; }

    /// <summary>Fixes a value's pointer: a translated value points at what it was translated from.</summary>
    public void Pin(int id, string pointer)
    {
        if (_pointers is null || _pointers.Length <= id)
        {
            Array.Resize(ref _pointers, Math.Max(id + 1, Math.Max(_count, (_pointers?.Length ?? 0) * 2)));
        }

        _pointers[id] = pointer;
    }

    /// <summary>Adds a value under <paramref name="parent"/> (-1 for the root); <paramref name="slot"/> is its index or its name's offset.</summary>
    public int Add(JKind kind, int offset, int parent, string? key, int slot, string? text = null)
    {
        if (_count == _nodes.Length)
        {
            Grow();
        }

        _nodes[_count] = new Node { Kind = kind, Offset = offset, Parent = parent, Slot = slot };
        _keys[_count] = key;
        _texts[_count] = text;
        return _count++;
    }

    /// <summary>Adds a number, keeping its raw text; a number has no children, so its node's First and Count say where the text is.</summary>
    public int AddNumber(int offset, int parent, string? key, int slot, ReadOnlySpan<byte> raw)
    {
        if (_numbers.Length - _numbersUsed < raw.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_numbers.Length * 2, _numbersUsed + raw.Length));
            _numbers.AsSpan(0, _numbersUsed).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_numbers);
            _numbers = larger;
        }

        int id = Add(JKind.Number, offset, parent, key, slot);
        raw.CopyTo(_numbers.AsSpan(_numbersUsed));
        _nodes[id].First = _numbersUsed;
        _nodes[id].Count = raw.Length;
        _numbersUsed += raw.Length;
        return id;
    }

    /// <summary>Links <paramref name="child"/> after <paramref name="last"/> (0: as the first) and counts it.</summary>
    public void Link(int container, int last, int child)
    {
        if (last == 0)
        {
            _nodes[container].First = child;
        }
        else
        {
            _nodes[last].Next = child;
        }

        _nodes[container].Count++;
    }

    /// <summary>Gives the arrays back; no <see cref="JNode"/> of this tree may be used after.</summary>
    public void Dispose()
    {
        // Only the used part holds strings, and only it is cleared, so a pooled array keeps no document alive.
        Array.Clear(_keys, 0, _count);
        Array.Clear(_texts, 0, _count);
        ArrayPool<Node>.Shared.Return(_nodes);
        ArrayPool<string?>.Shared.Return(_keys);
        ArrayPool<string?>.Shared.Return(_texts);
        ArrayPool<byte>.Shared.Return(_numbers);
        _nodes = [];
        _keys = _texts = [];
        _numbers = [];
        _numbersUsed = 0;
        _pointers = null;
        _count = 0;
    }

    public JKind Kind(int id) => _nodes[id].Kind;

    public int Offset(int id) => _nodes[id].Offset;

    /// <summary>A string's value, or a number's raw text (made on first use, then kept).</summary>
    public string? Text(int id) => _texts[id] ?? (_nodes[id].Kind == JKind.Number ? _texts[id] = Encoding.UTF8.GetString(Number(id)) : null);

    /// <summary>A number's raw UTF-8 text.</summary>
    public ReadOnlySpan<byte> Number(int id) => _numbers.AsSpan(_nodes[id].First, _nodes[id].Count);

    public string? Key(int id) => _keys[id];

    public int Slot(int id) => _nodes[id].Slot;

    public int First(int id) => _nodes[id].Kind == JKind.Number ? 0 : _nodes[id].First;

    public int Next(int id) => _nodes[id].Next;

    public int Count(int id) => _nodes[id].Kind == JKind.Number ? 0 : _nodes[id].Count;

    public string Pointer(int id)
    {
        if (_pointers is null || _pointers.Length <= id)
        {
            Array.Resize(ref _pointers, Math.Max(_count, (_pointers?.Length ?? 0) * 2));
            _pointers[0] = "";
        }

        if (_pointers[id] is { } known)
        {
            return known;
        }

        int parent = _nodes[id].Parent;
        return _pointers[id] = _pointers[parent] is { } up ? up + "/" + Token(id) : JoinedPointer(id);
    }

    /// <summary>
    /// The pointer written whole from the nearest ancestor that has one: the ancestors in between (a rule's
    /// <c>require</c> or <c>deny_if</c> array) are rarely asked for theirs, so none is made for them.
    /// </summary>
    private string JoinedPointer(int id)
    {
        int length = 0;
        int known = id;
        for (; _pointers![known] is null; known = _nodes[known].Parent)
        {
            length += 1 + Token(known).Length;
        }

        string prefix = _pointers[known]!;
        return string.Create(length + prefix.Length, (Tree: this, Id: id, Known: known), static (span, state) =>
        {
            int end = span.Length;
            for (int n = state.Id; n != state.Known; n = state.Tree._nodes[n].Parent)
            {
                string token = state.Tree.Token(n);
                token.CopyTo(span[(end - token.Length)..]);
                end -= token.Length + 1;
                span[end] = '/';
            }

            state.Tree._pointers![state.Known]!.CopyTo(span);
        });
    }

    /// <summary>The escaped reference token of a value: its key, or its index.</summary>
    private string Token(int id) => _keys[id] is { } key
        ? JsonPointer.Escape(key)
        : _nodes[id].Slot.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Grow()
    {
        Resize(ref _nodes, clear: false);
        Resize(ref _keys, clear: true);
        Resize(ref _texts, clear: true);
    }

    private void Resize<T>(ref T[] array, bool clear)
    {
        var larger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, _count).CopyTo(larger);
        if (clear)
        {
            array.AsSpan(0, _count).Clear();
        }

        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }

    private struct Node
    {
        public int Offset;
        public int Parent;
        public int Slot;
        public int First; // a number's: where its text starts
        public int Next;
        public int Count; // members (duplicates left out) or items; a number's: its text's length
        public JKind Kind;
    }
}
