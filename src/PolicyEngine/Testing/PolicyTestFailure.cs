namespace PolicyEngine.Testing;

/// <summary>One way a policy test failed: a step whose answer did not match its <c>expect</c>, or the policy itself.</summary>
public sealed class PolicyTestFailure
{
    internal PolicyTestFailure(int? step, string message, string expected, string actual)
    {
        Step = step;
        Message = message;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The 0-based index of the failing step, or <see langword="null"/> when the failure is the policy's (rejected, or not rejected as expected).</summary>
    public int? Step { get; }

    /// <summary>What differs, e.g. <c>retry_after: expected 55, got 58</c>.</summary>
    public string Message { get; }

    /// <summary>What the test expected: the step's <c>expect</c> object, or the expected errors, as JSON.</summary>
    public string Expected { get; }

    /// <summary>What happened: the step's whole answer as JSON, or the errors the validator reported.</summary>
    public string Actual { get; }

    /// <summary>The failure on three lines: where and what, then expected, then actual.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{(Step is { } step ? $"step {step}" : "policy")}: {Message}\n  expected {Expected}\n  actual   {Actual}";
}
