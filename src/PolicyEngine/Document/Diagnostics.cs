using System.Text;

namespace PolicyEngine.Document;

/// <summary>
/// Collects every error of one document, each with its pointer and 1-based line and column. Positions are
/// worked out from the source only when the errors are asked for: a valid document never needs its lines.
/// </summary>
internal sealed class Diagnostics
{
    private readonly List<Pending> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public void Add(JNode at, string message) => AddAt(at.Pointer, at.Offset, message);

    public void AddAt(string pointer, int offset, string message) => _errors.Add(new Pending(pointer, offset, message));

    /// <summary>
    /// The errors positioned in <paramref name="source"/> (the text that was read), in line and column order, as a
    /// person reads the file; errors at one position keep the order they were found in.
    /// </summary>
    public IReadOnlyList<PolicyError> Resolve(ReadOnlySpan<byte> source)
    {
        if (_errors.Count == 0)
        {
            return [];
        }

        int[] lineStarts = LineStarts(source);
        var errors = new List<PolicyError>(_errors.Count);
        foreach (var e in _errors)
        {
            var (line, column) = Position(source, lineStarts, Math.Clamp(e.Offset, 0, source.Length));
            errors.Add(new PolicyError(e.Pointer, line, column, e.Message));
        }

        // OrderBy is stable: checks that find two errors at one place keep their order.
        return [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
    }

    private static int[] LineStarts(ReadOnlySpan<byte> source)
    {
        var starts = new List<int> { 0 };
        int at = 0;
        int next;
        while ((next = source[at..].IndexOf((byte)'\n')) >= 0)
        {
            at += next + 1;
            starts.Add(at);
        }

        return [.. starts];
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> source, int[] lineStarts, int offset)
    {
        int index = Array.BinarySearch(lineStarts, offset);
        int line = index >= 0 ? index : ~index - 1;
        int start = lineStarts[line];

        // Columns count characters, not bytes, so they match what an editor shows.
        int column = Encoding.UTF8.GetCharCount(source[start..offset]) + 1;
        return (line + 1, column);
    }

    /// <summary>An error not yet positioned: at a byte offset into the source.</summary>
    private readonly record struct Pending(string Pointer, int Offset, string Message);
}
