namespace PolicyEngine.Cli.Steps;

/// <summary>Where a duplicate property name was found in a step line.</summary>
/// <param name="TopLevelKey">The step's own key whose value holds the duplicate, or <see langword="null"/> when two of the step's own keys clash.</param>
/// <param name="Name">The duplicated property name.</param>
internal sealed record DuplicateKey(string? TopLevelKey, string Name);
