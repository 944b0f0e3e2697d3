namespace PolicyEngine.Testing;

/// <summary>A test case read from its document; its elements live as long as that document.</summary>
internal sealed class TestCase
{
    public required string Name { get; init; }

    /// <summary>The policy document's UTF-8 text.</summary>
    public required byte[] Policy { get; init; }

    /// <summary>For a validation case: the pointers that must be among the errors; else <see langword="null"/>.</summary>
    public IReadOnlyList<string>? ExpectErrors { get; init; }

    public IReadOnlyList<TestStep> Steps { get; init; } = [];
}
