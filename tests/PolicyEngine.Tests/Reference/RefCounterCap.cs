namespace PolicyEngine.Tests.Reference;

/// <summary>
/// The host's cap on tracked limit counters (<c>MaxTrackedLimitKeys</c>; docs/assurance.md §7: at the cap, a call that
/// needs a new counter is denied with <c>capacity_exceeded</c>), modelled naively. A counter exists from a call's
/// first spend of more than 0 in it until it is idle (nothing spent for a whole sliding window, or its calendar unit
/// has ended) and a call at the cap sweeps it away, or a reload drops its limit. Idle counters leave only through that
/// sweep here: the engine's cache also lets them go on its own schedule, which the differential test switches off.
/// A sweep that frees nothing makes calls at the cap refused without sweeping for the next second.
/// </summary>
internal sealed class RefCounterCap(int max, Func<string, decimal, decimal> calendarUnitStart)
{
    private readonly Dictionary<string, (decimal LastSpend, decimal Window, string? Unit)> _tracked = new(StringComparer.Ordinal);
    private decimal _restUntil = decimal.MinValue;

    /// <summary>
    /// Whether the counters the call would spend in (cost above 0) all exist or can be made at <paramref name="at"/>,
    /// one by one in limit order, sweeping at the cap; nothing is made when one cannot be. A sweep may retire an idle
    /// counter this very call spends in: it is then made again, like any other missing one.
    /// </summary>
    public bool CanMake(IReadOnlyList<(string Counter, decimal Cost)> spends, decimal at)
    {
        var made = new HashSet<string>(StringComparer.Ordinal);
        while (spends.Where(s => s.Cost > 0 && !_tracked.ContainsKey(s.Counter) && !made.Contains(s.Counter)).Select(s => s.Counter).Distinct().ToList() is { Count: > 0 } missing)
        {
            foreach (var counter in missing)
            {
                if (_tracked.Count + made.Count >= max)
                {
                    Sweep(at);
                    if (_tracked.Count + made.Count >= max) return false;
                }

                made.Add(counter);
            }
        }

        return true;
    }

    /// <summary>Records an allowed call's spend: the counter exists, and its last spend is now.</summary>
    public void Spent(string counter, decimal cost, decimal at, decimal window, string? calendarUnit)
    {
        if (cost > 0) _tracked[counter] = (at, window, calendarUnit);
    }

    /// <summary>A reload dropped the limits whose counters <paramref name="dropped"/> selects.</summary>
    public void Drop(Func<string, bool> dropped)
    {
        foreach (var key in _tracked.Keys.Where(dropped).ToList()) _tracked.Remove(key);
    }

    private void Sweep(decimal at)
    {
        if (at < _restUntil) return;
        var idle = _tracked.Where(t => t.Value.Unit is { } unit ? t.Value.LastSpend < calendarUnitStart(unit, at) : t.Value.LastSpend <= at - t.Value.Window)
            .Select(t => t.Key).ToList();
        foreach (var key in idle) _tracked.Remove(key);
        if (idle.Count == 0) _restUntil = at + 1;
    }
}
