using System.Diagnostics;
using System.Text.Json;

namespace PolicyEngine;

/// <summary>
/// A policy that decides every call beside the enforced one, in shadow, to show what it would change before it
/// is rolled out (<see cref="PolicyEvaluator.SetCandidate"/>, <c>WithCandidate</c>). It has its own limit counters and
/// approvals: it never spends the enforced policy's state, and its decision is never returned. A disagreement (another
/// effect or code) is counted, raises <see cref="Disagreed"/>, adds to the <c>policyengine.candidate.disagreements</c>
/// metric and is written to <see cref="DecisionLogger"/>.
/// </summary>
public sealed class CandidatePolicy : IDisposable
{
    private readonly PolicyEvaluator _evaluator;
    private readonly TimeProvider _time;
    private long _calls;
    private long _disagreements;

    internal CandidatePolicy(Policy policy, PolicyEngineOptions enforced)
    {
        _time = enforced.TimeProvider;
        // A copy of the enforced options without the shared limit cache: counters of the same limits must not meet.
        _evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions
        {
            TimeProvider = enforced.TimeProvider,
            MaxTrackedLimitKeys = enforced.MaxTrackedLimitKeys,
            MaxPendingApprovals = enforced.MaxPendingApprovals,
            MaxPendingApprovalsPerSession = enforced.MaxPendingApprovalsPerSession,
            MaxArgumentValues = enforced.MaxArgumentValues,
            MaxArgumentStringBytes = enforced.MaxArgumentStringBytes,
            MaxResolvedToolNames = enforced.MaxResolvedToolNames,
        });
    }

    /// <summary>Raised on each call the candidate decides differently (another effect or code). Handlers' faults are swallowed.</summary>
    public event EventHandler<CandidateDisagreementEventArgs>? Disagreed;

    /// <summary>The candidate policy.</summary>
    public Policy Policy => _evaluator.Policy;

    /// <summary>Where disagreements are logged (a line with <c>"event": "candidate_disagreement"</c>); <see langword="null"/> for none.</summary>
    public PolicyDecisionLogger? DecisionLogger { get; set; }

    /// <summary>How many calls the candidate has decided.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>How many of them it decided differently from the enforced policy.</summary>
    public long Disagreements => Interlocked.Read(ref _disagreements);

    /// <summary>Releases the candidate's counters.</summary>
    public void Dispose() => _evaluator.Dispose();

    /// <summary>Decides the call under the candidate and reports a disagreement. Never throws.</summary>
    internal void Observe(in ToolCall call, in Decision enforced)
    {
        try
        {
            var candidate = _evaluator.Evaluate(in call);
            Interlocked.Increment(ref _calls);
            if (candidate.Effect == enforced.Effect && string.Equals(candidate.Code, enforced.Code, StringComparison.Ordinal))
            {
                return;
            }

            Interlocked.Increment(ref _disagreements);
            PolicyEngineDiagnostics.CandidateDisagreements.Add(1, new TagList
            {
                { "enforced_code", enforced.Code },
                { "candidate_code", candidate.Code },
                { "tool", call.Tool },
            });
            var at = _time.GetUtcNow();
            DecisionLogger?.LogDisagreement(in call, in enforced, in candidate, at);
            Disagreed?.Invoke(this, new CandidateDisagreementEventArgs(call.Tool, call.SessionId ?? "", enforced, candidate, at));
        }
#pragma warning disable CA1031 // The candidate is an observer: nothing it does may reach the enforced decision.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>A person approved a call under the enforced policy: approve the same call here, if the candidate asked too.</summary>
    internal void MirrorApproval(PendingApproval approved)
    {
        try
        {
            using var arguments = JsonDocument.Parse(approved.Arguments);
            var call = new ToolCall(approved.Tool, arguments.RootElement) { SessionId = approved.SessionId };
            if (_evaluator.GetApprovalId(in call) is { } id)
            {
                _evaluator.Approve(id);
            }
        }
#pragma warning disable CA1031 // As in Observe: mirroring is best effort and never reaches the host.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
