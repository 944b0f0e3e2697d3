namespace PolicyEngine.Document;

/// <summary>
/// One value of a policy document, with where it stands in the source so errors can point at it: a handle
/// into its <see cref="JTree"/>, so reading a document makes no object per value. The JSON Pointer is built
/// only when asked for: most values never need one.
/// </summary>
internal readonly struct JNode(JTree tree, int id) : IJChild<JNode>
{
    public static JNode Of(JTree tree, int id) => new(tree, id);

    public JTree Tree => tree;

    public JKind Kind => tree.Kind(id);

    /// <summary>Byte offset of the value's first token in the source.</summary>
    public int Offset => tree.Offset(id);

    public string Pointer => tree.Pointer(id);

    /// <summary>A string's value, or a number's raw text.</summary>
    public string? Text => tree.Text(id);

    /// <summary>A number's raw UTF-8 text, read without making a string.</summary>
    public ReadOnlySpan<byte> NumberUtf8 => tree.Number(id);

    /// <summary>An object's members in document order (duplicates left out).</summary>
    public JChildren<JMember> Members => new(tree, id);

    /// <summary>An array's items.</summary>
    public JChildren<JNode> Items => new(tree, id);

    public bool IsString => Kind == JKind.String;

    public bool IsBool => Kind is JKind.True or JKind.False;

    public JNode? Get(string name)
    {
        for (int child = tree.First(id); child != 0; child = tree.Next(child))
        {
            if (string.Equals(tree.Key(child), name, StringComparison.Ordinal))
            {
                return new JNode(tree, child);
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
