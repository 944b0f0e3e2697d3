namespace PolicyEngine.Document;

internal enum JKind : byte
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// One value of a policy document, with where it stands in the source so errors can point at it. The JSON
/// Pointer is built only when asked for: most values never need one, and a large policy has millions.
/// </summary>
internal sealed class JNode
{
    // Few fields, some doing double duty: a large document has hundreds of thousands of nodes.
    private readonly JNode? _parent;
    private readonly int _index;
    private string? _keyOrPointer; // the member name, until the pointer is built from it
    private bool _hasPointer;
    private object? _payload; // a string's or number's text, an object's JMember[] or an array's JNode[]

    public JNode(JKind kind, int offset, JNode? parent, string? key, int index, string? text = null)
    {
        Kind = kind;
        Offset = offset;
        _parent = parent;
        _keyOrPointer = key;
        _index = index;
        _payload = text;
        if (parent is null)
        {
            _keyOrPointer = "";
            _hasPointer = true;
        }
    }

    public JKind Kind { get; }

    /// <summary>Byte offset of the value's first token in the source.</summary>
    public int Offset { get; }

    public string Pointer
    {
        get
        {
            if (!_hasPointer)
            {
                _keyOrPointer = _parent!._hasPointer ? _parent._keyOrPointer + "/" + Token() : JoinedPointer();
                _hasPointer = true;
            }

            return _keyOrPointer!;
        }
    }

    /// <summary>A string's value, or a number's raw text.</summary>
    public string? Text => _payload as string;

    /// <summary>An object's members in document order (duplicates left out); set once by the reader.</summary>
    public JMember[] Members
    {
        get => _payload as JMember[] ?? [];
        set => _payload = value;
    }

    /// <summary>An array's items; set once by the reader.</summary>
    public JNode[] Items
    {
        get => _payload as JNode[] ?? [];
        set => _payload = value;
    }

    public bool IsString => Kind == JKind.String;

    public bool IsBool => Kind is JKind.True or JKind.False;

    public JNode? Get(string name)
    {
        foreach (var m in Members)
        {
            if (string.Equals(m.Name, name, StringComparison.Ordinal))
            {
                return m.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// This node's pointer written whole from the nearest ancestor that has one: the ancestors in between
    /// (a rule's <c>require</c> or <c>deny_if</c> array) are rarely asked for theirs, so none is made for them.
    /// </summary>
    private string JoinedPointer()
    {
        int length = 0;
        var known = this;
        for (; !known._hasPointer; known = known._parent!)
        {
            length += 1 + known.Token().Length;
        }

        return string.Create(length + known._keyOrPointer!.Length, (Node: this, Known: known), static (span, state) =>
        {
            int end = span.Length;
            for (var n = state.Node; n != state.Known; n = n._parent!)
            {
                string token = n.Token();
                token.CopyTo(span[(end - token.Length)..]);
                end -= token.Length + 1;
                span[end] = '/';
            }

            state.Known._keyOrPointer!.CopyTo(span);
        });
    }

    /// <summary>The escaped reference token of a node that has no pointer yet: its key, or its index.</summary>
    private string Token() => _keyOrPointer is { } key
        ? JsonPointer.Escape(key)
        : _index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Describe() => Kind switch
    {
        JKind.Object => "an object",
        JKind.Array => "an array",
        JKind.String => "a string",
        JKind.Number => "a number",
        JKind.Null => "null",
        _ => "a boolean",
    };
}

/// <summary>An object member: its name, the byte offset of the name, and its value.</summary>
internal readonly record struct JMember(string Name, int NameOffset, JNode Value);
