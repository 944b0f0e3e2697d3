namespace PolicyEngine;

/// <summary>A call that the candidate policy decided differently from the enforced one.</summary>
public sealed class CandidateDisagreementEventArgs : EventArgs
{
    internal CandidateDisagreementEventArgs(string tool, string sessionId, Decision enforced, Decision candidate, DateTimeOffset time)
    {
        Tool = tool;
        SessionId = sessionId;
        Enforced = enforced;
        Candidate = candidate;
        Time = time;
    }

    /// <summary>The called tool.</summary>
    public string Tool { get; }

    /// <summary>The call's session (<c>""</c> when it had none).</summary>
    public string SessionId { get; }

    /// <summary>The decision that was enforced and returned.</summary>
    public Decision Enforced { get; }

    /// <summary>What the candidate decided instead.</summary>
    public Decision Candidate { get; }

    /// <summary>When the call was decided.</summary>
    public DateTimeOffset Time { get; }
}
