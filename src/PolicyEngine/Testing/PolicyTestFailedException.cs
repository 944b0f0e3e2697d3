namespace PolicyEngine.Testing;

/// <summary>A policy test failed; the message lists each failing step with what was expected and what happened.</summary>
public sealed class PolicyTestFailedException : Exception
{
    /// <summary>Creates the exception for a failed test.</summary>
    /// <param name="result">The failed test's result.</param>
    public PolicyTestFailedException(PolicyTestResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).ToString()) => Result = result;

    /// <summary>Creates the exception without a result.</summary>
    public PolicyTestFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PolicyTestFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyTestFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failed test's result, when the exception was made from one.</summary>
    public PolicyTestResult? Result { get; }
}
