namespace PolicyEngine.Cli.Commands;

/// <summary>The last lines a child process wrote, kept for an error message.</summary>
internal sealed class BoundedLines(int max)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > max)
            {
                _lines.Dequeue();
            }
        }
    }

    public string Text()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines);
        }
    }
}
