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
    private readonly JNode? _parent;
    private readonly string? _key;
    private readonly int _index;
    private string? _pointer;
    private JMember[] _members = [];
    private JNode[] _items = [];

    public JNode(JKind kind, int offset, JNode? parent, string? key, int index)
    {
        Kind = kind;
        Offset = offset;
        _parent = parent;
        _key = key;
        _index = index;
        if (parent is null)
        {
            _pointer = "";
        }
    }

    public JKind Kind { get; }

    /// <summary>Byte offset of the value's first token in the source.</summary>
    public int Offset { get; }

    public string Pointer => _pointer ??= _key is not null
        ? JsonPointer.Append(_parent!.Pointer, _key)
        : JsonPointer.Append(_parent!.Pointer, _index);

    /// <summary>A string's value, or a number's raw text.</summary>
    public string? Text { get; init; }

    /// <summary>An object's members in document order (duplicates left out); set once by the reader.</summary>
    public JMember[] Members
    {
        get => _members;
        set => _members = value;
    }

    /// <summary>An array's items; set once by the reader.</summary>
    public JNode[] Items
    {
        get => _items;
        set => _items = value;
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
