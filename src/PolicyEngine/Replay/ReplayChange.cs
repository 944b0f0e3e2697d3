namespace PolicyEngine.Replay;

/// <summary>A logged call whose decision changes under the new policy.</summary>
internal sealed record ReplayChange(LogRecord Record, string Effect, string Code, string? Rule);
