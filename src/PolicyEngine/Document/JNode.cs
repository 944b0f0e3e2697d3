using System.Collections;

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

/// <summary>An object member: its name, the byte offset of the name, and its value.</summary>
internal readonly record struct JMember(string Name, int NameOffset, JNode Value) : IJChild<JMember>
{
    public static JMember Of(JTree tree, int id) => new(tree.Key(id)!, tree.Slot(id), new JNode(tree, id));
}

/// <summary>What a container's child is seen as: an item, or a member with its name.</summary>
internal interface IJChild<out T>
{
    static abstract T Of(JTree tree, int id);
}

/// <summary>
/// A container's items or members, walked along the tree's links; enumerating allocates nothing. The default
/// value (no tree) is empty, as <c>[]</c> makes.
/// </summary>
internal readonly struct JChildren<T>(JTree tree, int container) : IEnumerable<T>
    where T : IJChild<T>
{
    public int Length => tree is null ? 0 : tree.Count(container);

    /// <summary>The child at <paramref name="index"/>; walks from the first, so loops should enumerate instead.</summary>
    public T this[int index]
    {
        get
        {
            var e = GetEnumerator();
            for (int i = 0; i <= index; i++)
            {
                if (!e.MoveNext())
                {
                    throw new ArgumentOutOfRangeException(nameof(index));
                }
            }

            return e.Current;
        }
    }

    public Enumerator GetEnumerator() => new(tree, container);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(JTree tree, int container) : IEnumerator<T>
    {
        private int _id = -1;

        public readonly T Current => T.Of(tree, _id);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (tree is null || _id == 0)
            {
                return false;
            }

            _id = _id < 0 ? tree.First(container) : tree.Next(_id);
            return _id != 0;
        }

        public void Reset() => _id = -1;

        public readonly void Dispose()
        {
        }
    }
}
