using System.Collections.Concurrent;

namespace PolicyEngine.Approvals;

/// <summary>
/// Pending approval requests and granted approvals (spec §5). Both expire after the policy's
/// <c>approval_ttl</c> on the injected clock; pending requests are capped per session (the oldest goes)
/// and in total, and so are grants, so a flood of requests cannot exhaust memory.
/// </summary>
internal sealed class ApprovalStore
{
    private readonly TimeProvider _time;
    private readonly Limits.TimestampScale _scale;
    private readonly int _maxPending;
    private readonly int _maxPerSession;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _bySession = new(StringComparer.Ordinal); // request ids, oldest first; guarded by _gate
    private readonly Lock _gate = new();
    private long _sequence; // orders requests strictly, even when many arrive in the same clock tick

    public ApprovalStore(PolicyEngineOptions options)
    {
        _time = options.TimeProvider;
        _scale = new Limits.TimestampScale(_time.TimestampFrequency);
        _maxPending = options.MaxPendingApprovals;
        _maxPerSession = options.MaxPendingApprovalsPerSession;
    }

    private long Now => _time.GetTimestamp();

    /// <summary>Records (or refreshes) a request: it stays pending for <paramref name="ttl"/> from now.</summary>
    public void RecordPending(string id, in ToolCall call, string canonicalArguments, DecisionOutcome outcome, TimeSpan ttl)
    {
        long now = Now;
        long expires = now + ToTimestamp(ttl);
        var wallNow = _time.GetUtcNow();
        string session = call.SessionId ?? "";
        lock (_gate)
        {
            if (_pending.TryGetValue(id, out var existing))
            {
                _pending[id] = existing with { Expires = expires, RequestedAt = wallNow, Outcome = outcome };
                return;
            }

            if (!_bySession.TryGetValue(session, out var ofSession))
            {
                _bySession[session] = ofSession = new Queue<string>();
            }

            // Ids approved, denied or expired since are dropped first; then the session's oldest live requests make room.
            if (ofSession.Count >= _maxPerSession)
            {
                var live = ofSession.Where(i => IsLive(i, now)).ToList();
                ofSession.Clear();
                live.ForEach(ofSession.Enqueue);
            }

            while (ofSession.Count >= _maxPerSession)
            {
                _pending.TryRemove(ofSession.Dequeue(), out _);
            }

            if (_pending.Count >= _maxPending)
            {
                PurgeExpired(now);
            }

            if (_pending.Count >= _maxPending)
            {
                return; // full with live requests of other sessions: this one cannot be approved until room frees
            }

            _pending[id] = new Pending(id, call.Tool, session, canonicalArguments, outcome, wallNow, expires, ++_sequence);
            ofSession.Enqueue(id);
        }
    }

    public bool Approve(string id, TimeSpan ttl)
    {
        long now = Now;
        lock (_gate)
        {
            if (!_pending.TryRemove(id, out var pending) || pending.Expires <= now)
            {
                return false;
            }

            if (_grants.Count >= _maxPending)
            {
                PurgeExpired(now);
            }

            if (_grants.Count >= _maxPending)
            {
                _pending[id] = pending; // no room: leave it pending rather than lose it
                return false;
            }

            _grants[id] = new Grant(now + ToTimestamp(ttl));
            return true;
        }
    }

    public bool Deny(string id) => _pending.TryRemove(id, out var p) && p.Expires > Now;

    public bool Revoke(string id) => _grants.TryRemove(id, out var g) && g.Expires > Now;

    /// <summary>Takes the grant for a call, atomically: of many identical concurrent calls, exactly one gets it.</summary>
    public bool TryTakeGrant(string id, out long expires)
    {
        expires = 0;
        if (!_grants.TryRemove(id, out var grant))
        {
            return false;
        }

        expires = grant.Expires;
        return grant.Expires > Now;
    }

    /// <summary>Gives back a grant taken by a call that a later stage (a limit) denied.</summary>
    public void ReturnGrant(string id, long expires) => _grants.TryAdd(id, new Grant(expires));

    public IReadOnlyList<PendingApproval> ListPending()
    {
        long now = Now;
        var wallNow = _time.GetUtcNow();
        lock (_gate)
        {
            PurgeExpired(now);
            return _pending.Values.OrderBy(p => p.Sequence)
                .Select(p => new PendingApproval(p.Id, p.Tool, p.Session, p.Arguments, p.Outcome.Rule, p.Outcome.Message,
                    p.RequestedAt, wallNow + FromTimestamp(p.Expires - now)))
                .ToList();
        }
    }

    private bool IsLive(string id, long now) => _pending.TryGetValue(id, out var p) && p.Expires > now;

    /// <summary>Drops expired requests and grants, and the per-session index entries they leave; O(n), so run only when full or listing.</summary>
    private void PurgeExpired(long now)
    {
        foreach (var (id, p) in _pending)
        {
            if (p.Expires <= now)
            {
                _pending.TryRemove(id, out _);
            }
        }

        foreach (var (session, ids) in _bySession)
        {
            while (ids.Count > 0 && !IsLive(ids.Peek(), now))
            {
                ids.Dequeue();
            }

            if (ids.Count == 0)
            {
                _bySession.Remove(session);
            }
        }

        foreach (var (id, g) in _grants)
        {
            if (g.Expires <= now)
            {
                _grants.TryRemove(id, out _);
            }
        }
    }

    private long ToTimestamp(TimeSpan span) => _scale.ToTimestamp(span);

    private TimeSpan FromTimestamp(long ts) => _scale.ToTimeSpan(ts);

    private sealed record Pending(string Id, string Tool, string Session, string Arguments, DecisionOutcome Outcome,
        DateTimeOffset RequestedAt, long Expires, long Sequence);

    private readonly record struct Grant(long Expires);
}
