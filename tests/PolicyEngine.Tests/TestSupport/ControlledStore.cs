namespace PolicyEngine.Tests.TestSupport;

/// <summary>
/// A shared store for the adapter's tests, standing in for a remote one (Redis): sliding-window counters and approvals
/// under one lock, behind switches that make it answer late (asynchronously, on another thread) or fail. Only what
/// these tests need: sliding windows (no calendar windows, no folding), retry times to the tick of the oldest spend.
/// One instance shared by several hosts is several replicas on one store.
/// </summary>
internal sealed class ControlledStore : PolicyStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Limit, string Partition), List<(long At, decimal Cost)>> _counters = [];
    private readonly Dictionary<string, PendingApproval> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _grants = new(StringComparer.Ordinal);

    /// <summary>Whether every operation throws, as a store that is down does.</summary>
    public bool Down { get; set; }

    /// <summary>Whether only <see cref="ApproveAsync"/> throws.</summary>
    public bool ApproveFails { get; set; }

    /// <summary>Whether answers come after a real wait, on another thread, instead of synchronously.</summary>
    public bool Slow { get; set; }

    public int Acquires;

    public int Refunds;

    public override TimeSpan Timeout => TimeSpan.FromSeconds(5);

    public override TimeSpan BreakDuration => TimeSpan.FromMinutes(1);

    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Acquires);
        return RunAsync(() => Acquire(request));
    }

    public override ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Refunds);
        return new(RunAsync(() =>
        {
            for (int i = 0; i < receipt.Charges.Count; i++)
            {
                var charge = receipt.Charges[i];
                if (_counters.TryGetValue((charge.Limit, charge.Partition), out var spends))
                {
                    int at = spends.FindIndex(s => s.At == receipt.RecordedAt[i] && s.Cost == charge.Cost);
                    if (at >= 0)
                    {
                        spends.RemoveAt(at);
                    }
                }
            }

            return true;
        }).AsTask());
    }

    public override ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApproveFails
            ? throw new InvalidOperationException("The store refused the write.")
            : RunAsync(() => _pending.Remove(approvalId) && _grants.TryAdd(approvalId, now + ttl));

    public override ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => _pending.Remove(approvalId));

    public override ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(() => _grants.Remove(approvalId));

    public override ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<PendingApproval>>(() => [.. _pending.Values.OrderBy(p => p.RequestedAt)]);

    private StateVerdict Acquire(StateRequest request)
    {
        if (request.GrantId is { } grant && !(_grants.TryGetValue(grant, out var expires) && expires > request.Now))
        {
            if (request.Pending is { } pending)
            {
                _pending.TryAdd(grant, pending);
            }

            return StateVerdict.GrantMissing;
        }

        long now = request.Now.UtcTicks;
        var lists = new List<(long At, decimal Cost)>[request.Charges.Count];
        for (int i = 0; i < request.Charges.Count; i++)
        {
            var charge = request.Charges[i];
            var key = (charge.Limit, charge.Partition);
            if (!_counters.TryGetValue(key, out var spends))
            {
                _counters[key] = spends = [];
            }

            spends.RemoveAll(s => s.At <= now - charge.Window.Ticks);
            if (spends.Sum(s => s.Cost) + charge.Cost > charge.Max)
            {
                return StateVerdict.Limited(i, spends.Count == 0 ? null : TimeSpan.FromTicks(spends[0].At + charge.Window.Ticks - now));
            }

            lists[i] = spends;
        }

        for (int i = 0; i < lists.Length; i++)
        {
            lists[i].Add((now, request.Charges[i].Cost));
        }

        if (request.GrantId is { } spent && !request.KeepGrant)
        {
            _grants.Remove(spent);
        }

        return StateVerdict.Acquired(new StateReceipt(request.Charges, [.. request.Charges.Select(_ => now)]));
    }

    private async ValueTask<T> RunAsync<T>(Func<T> operation)
    {
        if (Slow)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken).ConfigureAwait(false);
        }

        if (Down)
        {
            throw new IOException("The store is down.");
        }

        lock (_gate)
        {
            return operation();
        }
    }
}
