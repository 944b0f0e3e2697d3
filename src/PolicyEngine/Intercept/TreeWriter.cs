using System.Text;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// Writes a document of this engine's form into a new <see cref="JTree"/>, each value placed (offset) and pinned
/// (pointer) at the Intercept value it was translated from, so every error and every decision's rule points into
/// the file the user wrote.
/// </summary>
internal sealed class TreeWriter(int sourceLength)
{
    private readonly Dictionary<int, (int Last, int Count)> _open = [];

    public JTree Tree { get; } = new(sourceLength) { InterceptSemantics = true };

    public int Root(JNode origin) => Place(Tree.Add(JKind.Object, origin.Offset, -1, null, 0), -1, origin);

    public int Object(int parent, string? key, JNode origin) => Add(JKind.Object, parent, key, origin);

    public int Array(int parent, string? key, JNode origin) => Add(JKind.Array, parent, key, origin);

    public int String(int parent, string? key, string text, JNode origin) => Add(JKind.String, parent, key, origin, text);

    public int Bool(int parent, string? key, bool value, JNode origin) => Add(value ? JKind.True : JKind.False, parent, key, origin);

    public int Null(int parent, string? key, JNode origin) => Add(JKind.Null, parent, key, origin);

    public int Number(int parent, string? key, string raw, JNode origin) =>
        Place(Tree.AddNumber(origin.Offset, parent, key, Slot(parent, key, origin), Encoding.UTF8.GetBytes(raw)), parent, origin);

    /// <summary>A leaf condition <c>{path, op, value}</c> with a string value.</summary>
    public int Leaf(int parent, string path, string op, JNode origin, Action<int> value)
    {
        int leaf = Object(parent, null, origin);
        String(leaf, "path", path, origin);
        String(leaf, "op", op, origin);
        value(leaf);
        return leaf;
    }

    /// <summary>Copies a scalar or a whole value under <paramref name="parent"/>.</summary>
    public int Copy(int parent, string? key, JNode value)
    {
        switch (value.Kind)
        {
            case JKind.Object:
                int obj = Object(parent, key, value);
                foreach (var m in value.Members)
                {
                    Copy(obj, m.Name, m.Value);
                }

                return obj;
            case JKind.Array:
                int array = Array(parent, key, value);
                foreach (var item in value.Items)
                {
                    Copy(array, null, item);
                }

                return array;
            case JKind.Number:
                return Number(parent, key, value.Text!, value);
            case JKind.String:
                return String(parent, key, value.Text!, value);
            case JKind.Null:
                return Add(JKind.Null, parent, key, value);
            default:
                return Bool(parent, key, value.Kind == JKind.True, value);
        }
    }

    private int Add(JKind kind, int parent, string? key, JNode origin, string? text = null) =>
        Place(Tree.Add(kind, origin.Offset, parent, key, Slot(parent, key, origin), text), parent, origin);

    // An item's slot is its index; a member's is its name's offset, here the origin's.
    private int Slot(int parent, string? key, JNode origin) =>
        key is not null ? origin.Offset : _open.TryGetValue(parent, out var open) ? open.Count : 0;

    private int Place(int id, int parent, JNode origin)
    {
        if (parent >= 0)
        {
            var (last, count) = _open.GetValueOrDefault(parent);
            Tree.Link(parent, last, id);
            _open[parent] = (id, count + 1);
        }

        Tree.Pin(id, origin.Pointer);
        return id;
    }
}
