using PolicyEngine.Document;
using PolicyEngine.Json;

namespace PolicyEngine.Linting;

/// <summary>Small readings of document values that several checks need.</summary>
internal static class JsonShapes
{
    /// <summary>Equal in meaning: objects whatever their key order, numbers by exact value (<c>1</c> = <c>1.0</c>).</summary>
    public static bool Same(JNode a, JNode b)
    {
        if (a.Kind != b.Kind)
        {
            return false;
        }

        switch (a.Kind)
        {
            case JKind.Object:
                return a.Members.Length == b.Members.Length &&
                    a.Members.All(m => b.Get(m.Name) is { } other && Same(m.Value, other));
            case JKind.Array:
                return a.Items.Length == b.Items.Length && a.Items.Zip(b.Items).All(p => Same(p.First, p.Second));
            case JKind.Number:
                return Number(a) is { } x && Number(b) is { } y ? x == y : a.Text == b.Text;
            case JKind.String:
                return string.Equals(a.Text, b.Text, StringComparison.Ordinal);
            default:
                return true;
        }
    }

    /// <summary>A number's exact value, or <see langword="null"/> when it has none (too many digits).</summary>
    public static decimal? Number(JNode node) =>
        node.Kind == JKind.Number && ExactNumber.TryParseExact(node.NumberUtf8, out var value) ? value : null;

    /// <summary>A string value, or <see langword="null"/>.</summary>
    public static string? String(JNode? node) => node is { Kind: JKind.String } n ? n.Text : null;

    /// <summary>An array's items, or none when the value is not an array (or absent).</summary>
    public static IEnumerable<JNode> Items(JNode? node) => node is { Kind: JKind.Array } n ? n.Items : [];
}
