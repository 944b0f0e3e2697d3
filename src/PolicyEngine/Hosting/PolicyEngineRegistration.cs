namespace PolicyEngine.Hosting;

/// <summary>One engine registered with <c>AddPolicyEngine</c>, by its service key (<see langword="null"/> for the default).</summary>
internal sealed record PolicyEngineRegistration(string? Name);
