using System.Collections.Concurrent;

namespace PolicyEngine.Approvals;

/// <summary>
/// Pending approval requests and granted approvals (docs/policy-language.md#approvals). Both expire after the policy's
/// <c>approval_ttl</c> on the injected clock; pending requests are capped per session (the oldest goes)
/// and in total, and so are grants, so a flood of requests cannot exhaust memory. Each request and grant
/// belongs to the policy it was made under: after a reload to a different policy they are dropped, and a
/// request made under another policy can be neither listed nor approved. A request keeps only bounded
/// previews of what the host is shown (<see cref="PendingIndex"/>); the call itself is bound by the id.
/// Writes take <see cref="_gate"/>; taking a grant does not.
/// </summary>
internal sealed class ApprovalStore
{
    private readonly TimeProvider _time;
    private readonly Limits.TimestampScale _scale;
    private readonly int _maxPending;
    private readonly ConcurrentDictionary<string, ApprovalGrant> _grants = new(StringComparer.Ordinal);
    private readonly ExpiryQueue<ApprovalGrant> _grantOrder = new(); // guarded by _gate
    private readonly PendingIndex _pending; // guarded by _gate
    private readonly Lock _gate = new();
    private string _fingerprint;

    public ApprovalStore(PolicyEngineOptions options, string fingerprint)
    {
        _time = options.TimeProvider;
        _scale = new Limits.TimestampScale(_time.TimestampFrequency);
        _maxPending = options.MaxPendingApprovals;
        _pending = new PendingIndex(options.MaxPendingApprovals, options.MaxPendingApprovalsPerSession);
        _fingerprint = fingerprint;
    }

    private long Now => _time.GetTimestamp();

    /// <summary>
    /// Records (or refreshes) a request made under the policy with <paramref name="fingerprint"/>: it stays
    /// pending for <paramref name="ttl"/> from now.
    /// </summary>
    public void RecordPending(string id, in ToolCall call, string canonicalArguments, DecisionOutcome outcome, TimeSpan ttl, string fingerprint)
    {
        long now = Now;
        long expires = now + ToTimestamp(ttl);
        var wallNow = _time.GetUtcNow();
        lock (_gate)
        {
            _pending.Record(id, call.Tool, call.SessionId ?? "", canonicalArguments, outcome, fingerprint, wallNow, expires, now);
        }
    }

    /// <summary>Records a request as a shared store's request carries it: previews, and the session's cap key.</summary>
    public void RecordPending(PendingApproval request, string sessionKey, TimeSpan ttl, string fingerprint)
    {
        long now = Now;
        long expires = now + ToTimestamp(ttl);
        var wallNow = _time.GetUtcNow();
        var outcome = new DecisionOutcome(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, request.Rule, request.Message);
        lock (_gate)
        {
            _pending.Record(request.ApprovalId, request.Tool, sessionKey, request.SessionId, request.Arguments, request.ArgumentsTruncated,
                outcome, fingerprint, wallNow, expires, now);
        }
    }

    public bool Approve(string id, TimeSpan ttl, string fingerprint)
    {
        long now = Now;
        lock (_gate)
        {
            if (!_pending.TryGetLive(id, now, out var pending) || !string.Equals(pending.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return false;
            }

            if (_grants.Count >= _maxPending)
            {
                _grantOrder.DropExpired(now, IsCurrentGrant, EndGrant);
            }

            if (_grants.Count >= _maxPending)
            {
                return false; // no room: it stays pending rather than being lost
            }

            _pending.Remove(id);
            var grant = new ApprovalGrant(now + ToTimestamp(ttl), fingerprint);
            _grants[id] = grant;
            _grantOrder.Add(id, grant, grant.Expires, _grants.Count, _grants);
            return true;
        }
    }

    public bool Deny(string id)
    {
        long now = Now;
        lock (_gate)
        {
            return _pending.TryGetLive(id, now, out _) && _pending.Remove(id);
        }
    }

    /// <summary>
    /// Withdraws an unspent grant. If a call holds it at this moment, waits for that call's outcome (a few
    /// counter updates): a call that ran spent it, and the revoke reports that it lost; a call that a limit
    /// denied gave it back, and the revoke takes it. A revoked grant is never given back.
    /// </summary>
    public bool Revoke(string id)
    {
        var spinner = default(SpinWait);
        while (_grants.TryGetValue(id, out var grant))
        {
            if (grant.TryEnd())
            {
                _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant));
                return grant.Expires > Now;
            }

            if (!grant.IsTaken)
            {
                _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant)); // spent or ended: gone
                return false;
            }

            // Stryker disable once Statement : equivalent. Spinning only yields to the call that holds the grant; without it the
            // loop busy-waits for the same outcome.
            spinner.SpinOnce();
        }

        return false;
    }

    /// <summary>Takes the grant for a call, atomically: of many identical concurrent calls, exactly one gets it.</summary>
    public ApprovalGrant? TryTakeGrant(string id)
    {
        if (!_grants.TryGetValue(id, out var grant))
        {
            return null;
        }

        if (grant.Expires <= Now)
        {
            if (grant.TryEnd())
            {
                _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant));
            }

            return null;
        }

        return grant.TryTake() ? grant : null;
    }

    /// <summary>The call that took the grant was allowed: the grant is spent, once.</summary>
    public void SpendGrant(string id, ApprovalGrant grant)
    {
        grant.Spend();
        _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant));
    }

    /// <summary>Gives back a grant taken by a call that a later stage (a limit) denied or that failed.</summary>
    public static void ReturnGrant(ApprovalGrant grant) => grant.GiveBack();

    /// <summary>
    /// A reload put the policy with <paramref name="fingerprint"/> in force: requests and grants made under any
    /// other policy are dropped, so reloading back to that policy cannot revive them either.
    /// </summary>
    public void PolicyChanged(string fingerprint)
    {
        lock (_gate)
        {
            if (string.Equals(_fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return;
            }

            _fingerprint = fingerprint;
            _pending.RemoveWhere(p => !string.Equals(p.Fingerprint, fingerprint, StringComparison.Ordinal));
            foreach (var (id, grant) in _grants)
            {
                if (!string.Equals(grant.Fingerprint, fingerprint, StringComparison.Ordinal) && grant.TryEnd())
                {
                    _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant));
                }
            }

            _grantOrder.Compact(_grants);
        }
    }

    public IReadOnlyList<PendingApproval> ListPending()
    {
        long now = Now;
        var wallNow = _time.GetUtcNow();
        lock (_gate)
        {
            return _pending.Live(now, _fingerprint)
                .Select(p => new PendingApproval(p.Id, p.Tool, p.SessionPreview, p.ArgumentsPreview, p.Outcome.Rule, p.Outcome.Message,
                    p.RequestedAt, wallNow + FromTimestamp(p.Expires - now), p.ArgumentsTruncated))
                .ToList();
        }
    }

    // Stryker disable once Logical : equivalent. Every grant queued has the approval_ttl of the policy in force (a reload to
    // another drops the rest), so a stale head never expires after the entries behind it: stopping at it while it is
    // live, or skipping it, drops the same grants.
    private bool IsCurrentGrant(string id, ApprovalGrant grant) => _grants.TryGetValue(id, out var found) && ReferenceEquals(found, grant);

    /// <summary>Drops an expired grant; one that a call holds right now is left to that call.</summary>
    private void EndGrant(string id, ApprovalGrant grant)
    {
        if (grant.TryEnd())
        {
            _grants.TryRemove(new KeyValuePair<string, ApprovalGrant>(id, grant));
        }
    }

    private long ToTimestamp(TimeSpan span) => _scale.ToTimestamp(span);

    private TimeSpan FromTimestamp(long ts) => _scale.ToTimeSpan(ts);
}
