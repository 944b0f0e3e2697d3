using System.Buffers;

namespace PolicyEngine.Cli.Steps;

/// <summary>
/// Splits a UTF-8 stream into lines at <c>\n</c> (a trailing <c>\r</c> is dropped) without decoding it, holding at
/// most <c>maxLineBytes</c> of one line in memory: the rest of an over-long line is read and discarded.
/// </summary>
internal sealed class LineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _line = new();
    private int _start;
    private int _end;
    private bool _atStart = true;

    /// <summary>Reads the next line; <see langword="false"/> at the end of the stream.</summary>
    /// <param name="line">The line's bytes, valid until the next call; empty when <paramref name="tooLong"/>.</param>
    /// <param name="tooLong">The line was longer than the cap and its content was dropped.</param>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        _line.ResetWrittenCount();
        tooLong = false;
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = stream.Read(_chunk, 0, _chunk.Length);
                if (_end == 0)
                {
                    line = tooLong ? ReadOnlyMemory<byte>.Empty : Trim(_line.WrittenMemory);
                    return any;
                }

                SkipByteOrderMark();
            }

            any = true;
            var available = _chunk.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var part = newline < 0 ? available : available[..newline];
            if (!tooLong && _line.WrittenCount + part.Length <= maxLineBytes)
            {
                _line.Write(part);
            }
            else
            {
                tooLong = true;
            }

            _start += newline < 0 ? available.Length : newline + 1;
            if (newline >= 0)
            {
                line = tooLong ? ReadOnlyMemory<byte>.Empty : Trim(_line.WrittenMemory);
                return true;
            }
        }
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line) =>
        line.Span is [.., (byte)'\r'] ? line[..^1] : line;

    // Editors on some systems start UTF-8 files with a byte order mark; it is not part of the first line.
    private void SkipByteOrderMark()
    {
        if (_atStart && _chunk.AsSpan(0, _end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start = 3;
        }

        _atStart = false;
    }
}
