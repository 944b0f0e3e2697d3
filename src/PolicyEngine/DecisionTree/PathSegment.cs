using System.Text;

namespace PolicyEngine.DecisionTree;

/// <summary>One step of a path: a property name (kept as UTF-8 for allocation-free lookups) or an array index.</summary>
internal sealed class PathSegment
{
    private PathSegment(string? name, int index)
    {
        Name = name;
        Utf8Name = name is null ? null : Encoding.UTF8.GetBytes(name);
        Index = index;
    }

    public string? Name { get; }

    public byte[]? Utf8Name { get; }

    public int Index { get; }

    public static PathSegment Property(string name) => new(name, -1);

    public static PathSegment Element(int index) => new(null, index);
}
