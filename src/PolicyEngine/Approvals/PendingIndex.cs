using System.Diagnostics;
using PolicyEngine.Json;

namespace PolicyEngine.Approvals;

/// <summary>
/// The pending requests, indexed by id, by session (oldest first, for the per-session cap) and by expiry
/// (<see cref="ExpiryQueue{T}"/>, for the total cap). Every operation but <see cref="RemoveWhere"/> and
/// <see cref="Live"/> does amortised constant work (or at most the per-session cap), so a flood of requests at
/// the cap costs each caller little. A request keeps at most <see cref="ArgumentsPreviewChars"/> chars of
/// its canonical arguments and <see cref="SessionPreviewChars"/> of its session id, whatever the call's size.
/// Not thread-safe: <see cref="ApprovalStore"/>'s lock guards it.
/// </summary>
internal sealed class PendingIndex(int max, int maxPerSession)
{
    /// <summary>How much of a request's canonical arguments is kept to show a person.</summary>
    public const int ArgumentsPreviewChars = 128;

    /// <summary>How much of a request's session id is kept to show a person; longer ids are indexed by their digest.</summary>
    public const int SessionPreviewChars = 64;

    /// <summary>The session id as a person is shown it: at most <see cref="SessionPreviewChars"/> chars.</summary>
    public static string SessionPreview(string session) => CompactKey.Preview(session, SessionPreviewChars, out _);

    /// <summary>The canonical arguments as a person is shown them: at most <see cref="ArgumentsPreviewChars"/> chars.</summary>
    public static string ArgumentsPreview(string canonicalArguments, out bool truncated) =>
        CompactKey.Preview(canonicalArguments, ArgumentsPreviewChars, out truncated);

    private readonly Dictionary<string, PendingRequest> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(string Id, long Sequence)>> _bySession = new(StringComparer.Ordinal);
    private readonly ExpiryQueue<PendingRequest> _order = new();
    private long _sequence; // orders requests strictly, even when many arrive in the same clock tick

    /// <summary>How many sessions have a queue: one per session that holds a request, so memory does not grow with every session id seen.</summary>
    public int SessionQueues => _bySession.Count;

    /// <summary>The entries of the expiry order, stale ones included (bounded by the live requests).</summary>
    public int OrderEntries => _order.Count;

    /// <summary>The key a session's requests are capped under: the id, or its digest when longer than <see cref="SessionPreviewChars"/>.</summary>
    public static string SessionKey(string session) => CompactKey.Of(session, SessionPreviewChars);

    public void Record(string id, string tool, string session, string canonicalArguments, DecisionOutcome outcome, string fingerprint,
        DateTimeOffset requestedAt, long expires, long now) =>
        Record(id, tool, SessionKey(session), SessionPreview(session), ArgumentsPreview(canonicalArguments, out bool truncated), truncated,
            outcome, fingerprint, requestedAt, expires, now);

    /// <summary>Records a request whose previews are made already (a shared store's request carries only those).</summary>
    public void Record(string id, string tool, string sessionKey, string sessionPreview, string argumentsPreview, bool truncated,
        DecisionOutcome outcome, string fingerprint, DateTimeOffset requestedAt, long expires, long now)
    {
        if (_byId.TryGetValue(id, out var existing))
        {
            if (existing.Expires > now)
            {
                // Asking again refreshes the request; it keeps its place among the session's requests.
                var refreshed = existing with { Expires = expires, RequestedAt = requestedAt, Outcome = outcome };
                _byId[id] = refreshed;
                _order.Add(id, refreshed, expires, _byId.Count, _byId);
                return;
            }

            Remove(id); // expired: asking again is a new request
        }

        if (!_bySession.TryGetValue(sessionKey, out var ofSession))
        {
            _bySession[sessionKey] = ofSession = new Queue<(string, long)>();
        }

        // At the session's cap, requests approved, denied or expired since are dropped first.
        if (ofSession.Count >= maxPerSession)
        {
            int n = ofSession.Count;
            for (int i = 0; i < n; i++)
            {
                var entry = ofSession.Dequeue();
                if (IsLive(entry, now))
                {
                    ofSession.Enqueue(entry);
                }
                else if (IsCurrent(entry))
                {
                    _byId.Remove(entry.Id); // expired
                }
            }
        }

        // A session still at its cap makes room itself (its oldest live request goes), so the total does not grow;
        // otherwise the total must have room once expired requests are dropped. A refused request evicts nothing.
        bool sessionFull = ofSession.Count >= maxPerSession;
        if (!sessionFull && _byId.Count >= max)
        {
            _order.DropExpired(now, IsCurrent, (expired, _) => Remove(expired));

            // Dropping this session's expired requests may have emptied its queue and removed it from the index:
            // put it back, or the request recorded below would sit in a queue no later ask sees (and bypass the cap).
            _bySession[sessionKey] = ofSession;
        }

        if (!sessionFull && _byId.Count >= max)
        {
            // Full with live requests of other sessions: this one gets its id but cannot be approved until room frees.
            if (ofSession.Count == 0)
            {
                _bySession.Remove(sessionKey);
            }

            return;
        }

        while (ofSession.Count >= maxPerSession)
        {
            var oldest = ofSession.Dequeue();
            if (IsCurrent(oldest))
            {
                _byId.Remove(oldest.Id);
            }
        }

        var request = new PendingRequest(id, tool, sessionKey, sessionPreview, argumentsPreview, truncated,
            outcome, fingerprint, requestedAt, expires, ++_sequence);
        _byId[id] = request;
        ofSession.Enqueue((id, request.Sequence));
        _order.Add(id, request, expires, _byId.Count, _byId);
        // Stryker disable all : debug-only checks (Debug.Assert, compiled out of the release build); weakening them changes no decision.
        Debug.Assert(_byId.Count <= max, "More requests are held than the total cap.");
        Debug.Assert(ofSession.Count <= maxPerSession, "A session holds more requests than its cap.");
        Debug.Assert(_bySession.TryGetValue(sessionKey, out var indexed) && ReferenceEquals(indexed, ofSession), "A session's queue is not indexed: later asks would not see its cap.");
        // Stryker restore all
    }

    /// <summary>The request for an id, if it exists and has not expired.</summary>
    public bool TryGetLive(string id, long now, out PendingRequest request) =>
        _byId.TryGetValue(id, out request!) && request.Expires > now;

    /// <summary>Removes a request, and its session's entry once it holds no request.</summary>
    public bool Remove(string id)
    {
        // Stryker disable once Block : unreachable. Every caller removes an id it holds (found live or expired under the
        // lock, listed by RemoveWhere, or met current in the expiry queue), so this branch is never taken.
        if (!_byId.Remove(id, out var request))
        {
            // Stryker disable once Boolean : unreachable, as said above.
            return false;
        }

        if (_bySession.TryGetValue(request.SessionKey, out var ofSession))
        {
            while (ofSession.TryPeek(out var head) && !IsCurrent(head))
            {
                ofSession.Dequeue();
            }

            if (ofSession.Count == 0)
            {
                _bySession.Remove(request.SessionKey);
            }
        }

        return true;
    }

    /// <summary>Removes every request that <paramref name="match"/> selects: O(n), for a reload only.</summary>
    public void RemoveWhere(Func<PendingRequest, bool> match)
    {
        foreach (var request in _byId.Values.Where(match).ToList())
        {
            Remove(request.Id);
        }

        _order.Compact(_byId);
    }

    /// <summary>The unexpired requests made under the policy with <paramref name="fingerprint"/>, oldest first.</summary>
    public IEnumerable<PendingRequest> Live(long now, string fingerprint) =>
        _byId.Values
            .Where(r => r.Expires > now && string.Equals(r.Fingerprint, fingerprint, StringComparison.Ordinal))
            .OrderBy(r => r.Sequence);

    private bool IsCurrent(string id, PendingRequest request) => _byId.TryGetValue(id, out var found) && ReferenceEquals(found, request);

    private bool IsCurrent((string Id, long Sequence) entry) => _byId.TryGetValue(entry.Id, out var found) && found.Sequence == entry.Sequence;

    private bool IsLive((string Id, long Sequence) entry, long now) => _byId.TryGetValue(entry.Id, out var found) && found.Sequence == entry.Sequence && found.Expires > now;
}
