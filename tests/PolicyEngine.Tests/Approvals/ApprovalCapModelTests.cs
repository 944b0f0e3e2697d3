using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Approvals;

/// <summary>
/// The approval store against a naive model of its documented rules (docs/limits-and-approvals.md): a request is
/// pending for the TTL from the latest ask (asking after expiry is a new request); a session keeps at most N live
/// requests (its oldest goes); over the total cap a new request is not recorded and evicts nothing; approving,
/// denying and spending an approval; approvals capped like requests. Random sequences, small caps, every seed.
/// </summary>
public class ApprovalCapModelTests
{
    private const int MaxPending = 5;
    private const int PerSession = 2;
    private const int Ttl = 60;

    [Fact]
    public void The_store_follows_the_model_over_random_sequences()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            Run(seed);
        }
    }

    private static void Run(int seed)
    {
        var random = new Random(seed);
        var clock = Engine.Clock();
        using var ev = Engine.For("""{"version":"1","default":"deny","approval_ttl":60,"tools":{"t":{"action":"require_approval"}}}""", clock, o =>
        {
            o.MaxPendingApprovals = MaxPending;
            o.MaxPendingApprovalsPerSession = PerSession;
        });
        var model = new Model();
        long now = 0;
        var log = new System.Text.StringBuilder();
        for (int step = 0; step < 80; step++)
        {
            int session = random.Next(4), n = random.Next(3);
            var call = Engine.Call("t", "{\"n\":" + n + "}", "s" + session);
            string id = ev.GetApprovalId(call)!;
            string what = $"seed {seed} step {step} (s{session} n{n} {id[4..8]})";
            int op = random.Next(6);
            log.Append($"[{step} op{op} s{session} {id[4..8]} t{now}] ");
            switch (op)
            {
                case 0 or 1:
                    var d = ev.Evaluate(call);
                    Assert.True(model.Ask(id, session, now) == (d.Code == DecisionCodes.Allowed), what + " ask " + d.Code);
                    break;
                case 2:
                    Assert.True(model.Approve(id, now) == ev.Approve(id), what + " approve");
                    break;
                case 3:
                    Assert.True(model.Deny(id, now) == ev.Deny(id), what + " deny");
                    break;
                default:
                    int seconds = random.Next(0, 31);
                    clock.Advance(TimeSpan.FromSeconds(seconds));
                    now += seconds;
                    break;
            }

            var expected = model.Live(now);
            var actual = ev.GetPendingApprovals().Select(p => p.ApprovalId).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{what}: pending {string.Join(",", expected.Select(i => i[4..8]))} expected, {string.Join(",", actual.Select(i => i[4..8]))} listed; {log}");
        }
    }

    private sealed class Model
    {
        private readonly List<(string Id, int Session, long Expires, long Sequence)> _pending = [];
        private readonly Dictionary<string, long> _grants = new(StringComparer.Ordinal);
        private long _sequence;

        /// <summary>True when the call is allowed (a live grant is spent); else its request is recorded or refreshed.</summary>
        public bool Ask(string id, int session, long now)
        {
            if (_grants.Remove(id, out var until) && until > now)
            {
                return true;
            }

            _pending.RemoveAll(p => p.Expires <= now);
            int at = _pending.FindIndex(p => p.Id == id);
            if (at >= 0)
            {
                _pending[at] = _pending[at] with { Expires = now + Ttl };
                return false;
            }

            var ofSession = _pending.Where(p => p.Session == session).OrderBy(p => p.Sequence).ToList();
            if (ofSession.Count < PerSession && _pending.Count >= MaxPending)
            {
                return false; // full: not recorded, nothing evicted
            }

            foreach (var old in ofSession.Take(ofSession.Count - PerSession + 1))
            {
                _pending.Remove(old);
            }

            _pending.Add((id, session, now + Ttl, ++_sequence));
            return false;
        }

        public bool Approve(string id, long now)
        {
            int at = _pending.FindIndex(p => p.Id == id && p.Expires > now);
            if (at < 0 || _grants.Count(g => g.Value > now) >= MaxPending)
            {
                return false;
            }

            _pending.RemoveAt(at);
            foreach (var expired in _grants.Where(g => g.Value <= now).Select(g => g.Key).ToList())
            {
                _grants.Remove(expired);
            }

            _grants[id] = now + Ttl;
            return true;
        }

        public bool Deny(string id, long now) => _pending.RemoveAll(p => p.Id == id && p.Expires > now) > 0;

        public List<string> Live(long now) => _pending.Where(p => p.Expires > now).OrderBy(p => p.Sequence).Select(p => p.Id).ToList();
    }
}
