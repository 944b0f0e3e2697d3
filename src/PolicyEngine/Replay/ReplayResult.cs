namespace PolicyEngine.Replay;

/// <summary>The outcome of a replay: how many calls, which changed, and the count of each code before and after.</summary>
internal sealed record ReplayResult(int Calls, IReadOnlyList<ReplayChange> Changes, IReadOnlyDictionary<string, (int Old, int New)> Codes);
