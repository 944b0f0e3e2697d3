using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PolicyEngine.Approvals;
using PolicyEngine.Limits;

namespace PolicyEngine.State;

/// <summary>
/// The <see cref="PolicyStateStore"/> that keeps everything in this process, on the same counters (<see cref="RingCounter{T}"/>)
/// and approval store as the evaluator's default state, so it decides exactly as that does. A limit is known by its
/// <see cref="LimitCharge.Limit"/> id; a charge with a new max puts it in force at once, as a reload does. One lock makes
/// each acquisition atomic: this store is the reference that shared stores are tested against and a way to run code written
/// for them in one process, not the evaluator's hot path (which reaches its own state without this abstraction).
/// Requests and grants belong to one policy at a time: a request under another fingerprint drops those of the one before,
/// as a reload does. At <see cref="PolicyEngineOptions.MaxTrackedLimitKeys"/>, a call that needs a new counter fails
/// (the evaluator then denies it with <see cref="DecisionCodes.StateUnavailable"/>).
/// </summary>
internal sealed class InMemoryStateStore : PolicyStateStore, IDisposable
{
    private readonly CounterStore _counters;
    private readonly ApprovalStore _approvals;
    private readonly ConcurrentDictionary<string, LimitState> _limits = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<StateReceipt, WindowCounter[]> _spentIn = new();
    private readonly Lock _gate = new();

    public InMemoryStateStore(PolicyEngineOptions options)
    {
        _counters = new CounterStore(options);
        _approvals = new ApprovalStore(options, "");
    }

    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return new(Acquire(request));
        }
    }

    private StateVerdict Acquire(StateRequest request)
    {
        ApprovalGrant? grant = null;
        if (request.GrantId is { } id)
        {
            _approvals.PolicyChanged(request.PolicyFingerprint);
            grant = _approvals.TryTakeGrant(id);
            if (grant is null)
            {
                var pending = request.Pending ?? throw new ArgumentException("A request with a grant id must carry the pending request.", nameof(request));
                _approvals.RecordPending(pending, request.SessionKey ?? PendingIndex.SessionKey(pending.SessionId), request.ApprovalTtl, request.PolicyFingerprint);
                return StateVerdict.GrantMissing;
            }

            if (request.KeepGrant)
            {
                ApprovalStore.ReturnGrant(grant);
                return StateVerdict.Acquired(null);
            }
        }

        bool spent = false;
        try
        {
            var verdict = SpendAll(request.Charges);
            spent = verdict.Kind == StateVerdictKind.Acquired;
            if (spent && grant is not null)
            {
                _approvals.SpendGrant(request.GrantId!, grant);
            }

            return verdict;
        }
        finally
        {
            if (!spent && grant is not null)
            {
                ApprovalStore.ReturnGrant(grant);
            }
        }
    }

    /// <summary>Checks every charge, then spends all of them or none. Counters are made only for charges that spend.</summary>
    private StateVerdict SpendAll(IReadOnlyList<LimitCharge> charges)
    {
        int n = charges.Count;
        var counters = new WindowCounter?[n];
        int first = -1;
        long longest = 0; // ticks; -1: some charge never fits
        for (int i = 0; i < n; i++)
        {
            var charge = charges[i];
            var state = StateOf(charge);
            var counter = state.Find(charge.Partition);
            counters[i] = counter;
            long wait;
            if (counter is null)
            {
                // Nothing of this key is in the window: only a cost above max can fail.
                if (charge.Cost <= charge.Max)
                {
                    continue;
                }

                wait = -1;
            }
            else if (Fits(counter, state, charge.Cost, out wait))
            {
                continue;
            }

            first = first < 0 ? i : first;
            longest = wait < 0 || longest < 0 ? -1 : Math.Max(longest, state.ToTimeSpan(wait).Ticks);
        }

        if (first >= 0)
        {
            return StateVerdict.Limited(first, longest < 0 ? null : TimeSpan.FromTicks(longest));
        }

        var times = new long[n];
        for (int i = 0; i < n; i++)
        {
            var charge = charges[i];
            if (charge.Cost == 0)
            {
                continue;
            }

            var state = StateOf(charge);
            var counter = counters[i];
            while (true)
            {
                counter ??= state.GetOrCreate(charge.Partition)
                    ?? throw new InvalidOperationException("The in-memory state store tracks as many limit counters as it is configured for.");
                counter.Enter();
                try
                {
                    if (!counter.Retired)
                    {
                        times[i] = counter.SpendUnsynchronized(state.Now, charge.Cost);
                        break;
                    }
                }
                finally
                {
                    counter.Exit();
                }

                counter = null; // it expired (empty) since the check: spend in the key's new counter
            }

            counters[i] = counter;
        }

        return StateVerdict.Acquired(ReceiptFor(charges, counters, times));
    }

    private static bool Fits(WindowCounter counter, LimitState state, decimal cost, out long wait)
    {
        counter.Enter();
        try
        {
            return counter.TryFitUnsynchronized(state.Now, cost, out wait);
        }
        finally
        {
            counter.Exit();
        }
    }

    private StateReceipt? ReceiptFor(IReadOnlyList<LimitCharge> charges, WindowCounter?[] counters, long[] times)
    {
        var covered = Enumerable.Range(0, charges.Count).Where(i => charges[i].Refundable && charges[i].Cost > 0).ToArray();
        if (covered.Length == 0)
        {
            return null;
        }

        var receipt = new StateReceipt(covered.Select(i => charges[i]).ToArray(), covered.Select(i => times[i]).ToArray());
        _spentIn.Add(receipt, covered.Select(i => counters[i]!).ToArray());
        return receipt;
    }

    /// <summary>The limit's state, made on first use; a charge with another max puts that max in force.</summary>
    private LimitState StateOf(in LimitCharge charge)
    {
        if (!_limits.TryGetValue(charge.Limit, out var state))
        {
            state = new LimitState(charge.Limit, countsCost: true, charge.Calendar, charge.Window, charge.Max, _counters);
            _counters.Register(state);
            _limits[charge.Limit] = state;
        }

        state.Rebind(charge.Max);
        return state;
    }

    public override ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (_spentIn.TryGetValue(receipt, out var counters) && _spentIn.Remove(receipt))
        {
            // The receipt holds the very counters it spent in: a key's later counter never gives back an older spend.
            var spends = counters.Select((counter, i) => new Spend(counter, receipt.RecordedAt[i], receipt.Charges[i].Cost)).ToArray();
            new SpendReceipt(spends).TryRefund();
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _approvals.PolicyChanged(policyFingerprint);
        return new(_approvals.Approve(approvalId, ttl, policyFingerprint));
    }

    public override ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => new(_approvals.Deny(approvalId));

    public override ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) => new(_approvals.Revoke(approvalId));

    public override ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _approvals.PolicyChanged(policyFingerprint);
        return new(_approvals.ListPending());
    }

    public void Dispose() => _counters.Dispose();
}
