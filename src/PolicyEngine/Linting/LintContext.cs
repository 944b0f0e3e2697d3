using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>What the checks share: the document's tree, the findings so far, and the tool listing if one was given.</summary>
internal sealed class LintContext(JNode root, IReadOnlyList<ListedTool>? tools)
{
    private readonly List<(string Code, string Pointer, int Offset, string Message)> _findings = [];

    public JNode Root => root;

    /// <summary>The tools of <c>--tools</c>, or <see langword="null"/> when none were given.</summary>
    public IReadOnlyList<ListedTool>? Tools => tools;

    public int Count => _findings.Count;

    public void Add(string code, JNode at, string message) => _findings.Add((code, at.Pointer, at.Offset, message));

    /// <summary>A finding at an object member's name (a tools key), where an editor shows the key.</summary>
    public void Add(string code, JMember at, string message) => _findings.Add((code, at.Value.Pointer, at.NameOffset, message));

    /// <summary>The <c>tools</c> entries in document order (the <c>$schema</c> member left out).</summary>
    public IEnumerable<JMember> Entries() =>
        root.Get("tools") is { Kind: JKind.Object } tools ? tools.Members.Where(m => m.Name != "$schema") : [];

    /// <summary><c>all_tools</c> and every entry's block, with the pointer-friendly name used in messages.</summary>
    public IEnumerable<JNode> Blocks()
    {
        if (root.Get("all_tools") is { } all)
        {
            yield return all;
        }

        foreach (var entry in Entries())
        {
            yield return entry.Value;
        }
    }

    /// <summary>The findings positioned in <paramref name="source"/>, in the order the checks found them.</summary>
    public IReadOnlyList<LintFinding> Resolve(ReadOnlySpan<byte> source)
    {
        var positions = new Diagnostics();
        foreach (var f in _findings)
        {
            positions.AddAt(f.Pointer, f.Offset, f.Message);
        }

        var resolved = positions.Resolve(source);
        return _findings.Select((f, i) => new LintFinding(f.Code, f.Pointer, resolved[i].Line, resolved[i].Column, f.Message)).ToList();
    }
}
