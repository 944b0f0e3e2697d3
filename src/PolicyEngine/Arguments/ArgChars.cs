using System.Buffers;

namespace PolicyEngine.Arguments;

/// <summary>
/// A string value's characters, for the UTF-16 paths of the string operators: in the caller's stack buffer, or in a
/// pooled array that <see cref="Dispose"/> gives back. Only an escaped string allocates (<see cref="ArgValue.GetChars"/>).
/// </summary>
internal ref struct ArgChars
{
    /// <summary>The characters a caller's stack buffer holds; a longer string rents from the pool.</summary>
    public const int StackLength = 256;

    private readonly char[]? _rented;

    public ArgChars(in ArgValue value, Span<char> scratch) => Chars = value.GetChars(scratch, ref _rented);

    public ReadOnlySpan<char> Chars { get; }

    public readonly void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }
    }
}
