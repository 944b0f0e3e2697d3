namespace PolicyEngine.Testing;

/// <summary>The outcome of one policy test: passed, or the list of what failed.</summary>
public sealed class PolicyTestResult
{
    internal PolicyTestResult(string name, string? file, int steps, IReadOnlyList<PolicyTestFailure> failures)
    {
        Name = name;
        File = file;
        Steps = steps;
        Failures = failures;
    }

    /// <summary>The test's <c>name</c>, or its file name without extension.</summary>
    public string Name { get; }

    /// <summary>The test file's path as given, or <see langword="null"/> for a test run from text.</summary>
    public string? File { get; }

    /// <summary>How many steps ran (0 for a validation case).</summary>
    public int Steps { get; }

    /// <summary><see langword="true"/> when nothing failed.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Every failure, in step order; empty when the test passed.</summary>
    public IReadOnlyList<PolicyTestFailure> Failures { get; }

    /// <summary>Throws when the test failed, with every failure in the message: the assertion for a host's own test project.</summary>
    /// <exception cref="PolicyTestFailedException">The test failed.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new PolicyTestFailedException(this);
        }
    }

    /// <summary><c>PASS name</c>, or <c>FAIL name (file)</c> followed by each failure, indented.</summary>
    /// <returns>The report.</returns>
    public override string ToString()
    {
        var head = (Passed ? "PASS " : "FAIL ") + Name + (File is null ? "" : $" ({File})");
        return Passed ? head : head + string.Concat(Failures.Select(f => "\n  " + f.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)));
    }
}
