using PolicyEngine.Testing;

namespace PolicyEngine.Cli.Commands;

/// <summary>One test file's outcome: its result, or why it could not be run as a test.</summary>
internal sealed record TestOutcome(string File, PolicyTestResult? Result, string? Error);
