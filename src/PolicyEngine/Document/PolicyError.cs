namespace PolicyEngine;

/// <summary>One validation error in a policy document (docs/policy-language.md#validation).</summary>
public sealed class PolicyError
{
    /// <summary>Creates an error.</summary>
    /// <param name="pointer">The JSON Pointer of the offending value, or of a missing key.</param>
    /// <param name="line">The 1-based line in the source text.</param>
    /// <param name="column">The 1-based column in the source text.</param>
    /// <param name="message">What is wrong, in a sentence.</param>
    public PolicyError(string pointer, int line, int column, string message)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        ArgumentNullException.ThrowIfNull(message);
        Pointer = pointer;
        Line = line;
        Column = column;
        Message = message;
    }

    /// <summary>The JSON Pointer (RFC 6901) of the offending value; for a missing key, the pointer it would have.</summary>
    public string Pointer { get; }

    /// <summary>The 1-based line in the source text.</summary>
    public int Line { get; }

    /// <summary>The 1-based column in the source text.</summary>
    public int Column { get; }

    /// <summary>What is wrong.</summary>
    public string Message { get; }

    /// <summary>The error as <c>LINE:COL: POINTER: message</c>.</summary>
    public override string ToString() => $"{Line}:{Column}: {Pointer}: {Message}";
}
