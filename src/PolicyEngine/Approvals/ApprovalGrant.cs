using System.Diagnostics;

namespace PolicyEngine.Approvals;

/// <summary>
/// A granted approval, used once (docs/policy-language.md#approvals). A call takes it before its limits are checked and either spends
/// it (the call is allowed) or gives it back (a limit denied the call). While a call holds it, a revoke waits
/// for that call's outcome, so <see cref="ApprovalStore.Revoke"/> either wins, and the grant is never given
/// back, or reports that it lost to a call that ran.
/// </summary>
internal sealed class ApprovalGrant(long expires, string fingerprint)
{
    private const int Available = 0;
    private const int Taken = 1;
    private const int Gone = 2;

    private int _state;

    public long Expires { get; } = expires;

    /// <summary>The fingerprint of the policy the approval was given under.</summary>
    public string Fingerprint { get; } = fingerprint;

    /// <summary>Claims the grant for one call; of many concurrent calls, one wins.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Available) == Available;

    /// <summary>The call that took the grant was allowed: it is spent.</summary>
    public void Spend()
    {
        int previous = Interlocked.Exchange(ref _state, Gone);
        // Stryker disable once all : debug-only check (Debug.Assert, compiled out of the release build); weakening it changes no decision.
        Debug.Assert(previous == Taken, "Only the call that took a grant spends it.");
    }

    /// <summary>The call that took the grant did not run: it is available again.</summary>
    public void GiveBack()
    {
        int previous = Interlocked.CompareExchange(ref _state, Available, Taken);
        // Stryker disable once all : debug-only check (Debug.Assert, compiled out of the release build); weakening it changes no decision.
        Debug.Assert(previous == Taken, "Only the call that took a grant gives it back (a revoke waits for it).");
    }

    /// <summary>Ends an available grant (revoked, expired or dropped by a reload); false when a call holds it or it is gone.</summary>
    public bool TryEnd() => Interlocked.CompareExchange(ref _state, Gone, Available) == Available;

    /// <summary>Whether a call holds the grant now, so its outcome is not known yet.</summary>
    public bool IsTaken => Volatile.Read(ref _state) == Taken;
}
