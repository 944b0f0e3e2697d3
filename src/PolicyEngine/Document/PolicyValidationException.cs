using PolicyEngine.Document;

namespace PolicyEngine;

/// <summary>Thrown when a policy document is rejected; it carries every error found, not just the first.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception with no errors listed.</summary>
    public PolicyValidationException()
        : this(ValidationMessages.DocumentInvalid)
    {
    }

    /// <summary>Creates the exception with a message and no errors listed.</summary>
    /// <param name="message">The message.</param>
    public PolicyValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception from the errors found.</summary>
    /// <param name="errors">Every error found in the document.</param>
    public PolicyValidationException(IReadOnlyList<PolicyError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for a policy file: its message names the file and lists every error as
    /// <c>FILE:LINE:COL: POINTER: message</c>, the form of <c>policyengine validate</c> and of compilers.</summary>
    internal PolicyValidationException(string filePath, IReadOnlyList<PolicyError> errors)
        : base(DescribeFile(filePath, errors))
    {
        Errors = errors;
        FilePath = filePath;
    }

    /// <summary>Every error found in the document, in line and column order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>The full path of the policy file, when the document was read from one (<see cref="Policy.LoadFile"/>).</summary>
    public string? FilePath { get; }

    /// <summary>Each error as <c>FILE:LINE:COL: POINTER: message</c> (without <c>FILE:</c> when the document had no file).</summary>
    /// <returns>One line per error.</returns>
    public IEnumerable<string> ErrorLines() =>
        Errors.Select(e => FilePath is null ? e.ToString() : $"{FilePath}:{e}");

    private static string DescribeFile(string filePath, IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);

        // Every error, not the first ten: the file is what the reader has to fix, and a document holds a bounded number.
        var lines = errors.Select(e => $"{Environment.NewLine}  {filePath}:{e}");
        return ValidationMessages.FileHasErrors(filePath, errors.Count) + string.Concat(lines);
    }

    // The errors a message lists when it does not name a file; Errors holds them all.
    private const int MaxListed = 10;

    private static string Describe(IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = errors.Take(MaxListed).Select(e => "  " + e);
        var more = errors.Count > MaxListed ? Environment.NewLine + "  " + ValidationMessages.AndMore(errors.Count - MaxListed) : "";
        return ValidationMessages.DocumentHasErrors(errors.Count) + Environment.NewLine + string.Join(Environment.NewLine, lines) + more;
    }
}
