using System.Text;

namespace PolicyEngine.Document;

/// <summary>Collects every error of one document, each with its pointer and 1-based line and column.</summary>
internal sealed class Diagnostics
{
    private readonly int[] _lineStarts;
    private readonly byte[] _source;
    private readonly List<PolicyError> _errors = [];

    public Diagnostics(byte[] source)
    {
        _source = source;
        var starts = new List<int> { 0 };
        for (int i = 0; i < source.Length; i++)
        {
            if (source[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public IReadOnlyList<PolicyError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(JNode at, string message) => AddAt(at.Pointer, at.Offset, message);

    public void AddAt(string pointer, int offset, string message)
    {
        var (line, column) = Position(offset);
        _errors.Add(new PolicyError(pointer, line, column, message));
    }

    /// <summary>An error at a 0-based line and byte position, as <see cref="System.Text.Json.JsonException"/> reports them.</summary>
    public void AddAtLine(string pointer, long line, long bytePositionInLine, string message)
    {
        int l = (int)Math.Clamp(line, 0, _lineStarts.Length - 1);
        int offset = (int)Math.Min(_lineStarts[l] + bytePositionInLine, _source.Length);
        AddAt(pointer, offset, message);
    }

    private (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, _source.Length);
        int index = Array.BinarySearch(_lineStarts, offset);
        int line = index >= 0 ? index : ~index - 1;
        int start = _lineStarts[line];

        // Columns count characters, not bytes, so they match what an editor shows.
        int column = Encoding.UTF8.GetCharCount(_source, start, offset - start) + 1;
        return (line + 1, column);
    }
}
