namespace PolicyEngine;

/// <summary>Thrown when a policy document is rejected; it carries every error found, not just the first.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception with no errors listed.</summary>
    public PolicyValidationException()
        : this("The policy document is invalid.")
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

    /// <summary>Every error found in the document, in document order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Describe(IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = errors.Take(10).Select(e => "  " + e);
        var more = errors.Count > 10 ? $"{Environment.NewLine}  … and {errors.Count - 10} more" : "";
        return $"The policy document has {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}
