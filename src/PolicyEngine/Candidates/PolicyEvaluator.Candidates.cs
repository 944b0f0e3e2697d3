namespace PolicyEngine;

/// <summary>The candidate policy of an evaluator (<see cref="CandidatePolicy"/>): set, replaced and removed here.</summary>
public sealed partial class PolicyEvaluator
{
    private CandidatePolicy? _candidate;

    /// <summary>The candidate policy deciding calls in shadow beside the enforced one, or <see langword="null"/>.</summary>
    public CandidatePolicy? Candidate => Volatile.Read(ref _candidate);

    /// <summary>
    /// Decides every later call under <paramref name="candidate"/> too, with its own fresh counters and approvals,
    /// and reports where it disagrees. What <see cref="Evaluate(in ToolCall)"/> returns stays the enforced decision.
    /// Replaces an earlier candidate.
    /// </summary>
    /// <param name="candidate">The policy to try.</param>
    /// <returns>The candidate, to subscribe to <see cref="CandidatePolicy.Disagreed"/> or give a <see cref="CandidatePolicy.DecisionLogger"/>.</returns>
    public CandidatePolicy SetCandidate(Policy candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var next = new CandidatePolicy(candidate, _options);
        Interlocked.Exchange(ref _candidate, next)?.Dispose();
        return next;
    }

    /// <summary>Stops deciding calls under the candidate policy, if there is one.</summary>
    public void ClearCandidate() => Interlocked.Exchange(ref _candidate, null)?.Dispose();

    // The pending request is read before it is approved (approving takes it out of the pending list).
    private PendingApproval? PendingForCandidate(string approvalId) =>
        Volatile.Read(ref _candidate) is null ? null : _approvals.ListPending().FirstOrDefault(p => p.ApprovalId == approvalId);

    private void MirrorApproval(bool approved, PendingApproval? pending)
    {
        if (approved && pending is not null && Volatile.Read(ref _candidate) is { } candidate)
        {
            candidate.MirrorApproval(pending);
        }
    }
}
