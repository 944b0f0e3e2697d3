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

/// <summary>One value of a policy document, with where it stands in the source so errors can point at it.</summary>
internal sealed class JNode
{
    public JNode(JKind kind, int offset, string pointer)
    {
        Kind = kind;
        Offset = offset;
        Pointer = pointer;
    }

    public JKind Kind { get; }

    /// <summary>Byte offset of the value's first token in the source.</summary>
    public int Offset { get; }

    public string Pointer { get; }

    /// <summary>A string's value, or a number's raw text.</summary>
    public string? Text { get; init; }

    public List<JMember> Members { get; } = [];

    public List<JNode> Items { get; } = [];

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
