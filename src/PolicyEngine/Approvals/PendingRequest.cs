namespace PolicyEngine.Approvals;

/// <summary>A request waiting for a person, as the store keeps it: the id binds the call; the rest is bounded previews.</summary>
internal sealed record PendingRequest(string Id, string Tool, string SessionKey, string SessionPreview, string ArgumentsPreview,
    bool ArgumentsTruncated, DecisionOutcome Outcome, string Fingerprint, DateTimeOffset RequestedAt, long Expires, long Sequence);
