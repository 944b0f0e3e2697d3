using Microsoft.Extensions.Caching.Memory;

namespace PolicyEngine;

/// <summary>
/// Settings for a <see cref="PolicyEvaluator"/>. Every size and count has a limit; the evaluator checks
/// these values when it is built and throws <see cref="ArgumentOutOfRangeException"/> for a bad one.
/// </summary>
public sealed class PolicyEngineOptions
{
    /// <summary>The clock for limits and approvals. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The most limit counters (one per limit and session, user, argument value…) tracked at once.
    /// At the cap, a call that needs a new counter is denied with <see cref="DecisionCodes.CapacityExceeded"/>
    /// until idle counters are reclaimed; existing counters are never dropped early. Default 100,000.
    /// </summary>
    public int MaxTrackedLimitKeys { get; set; } = 100_000;

    /// <summary>The most pending approval requests held at once, across sessions. Default 10,000.</summary>
    public int MaxPendingApprovals { get; set; } = 10_000;

    /// <summary>The most pending approval requests one session may hold; the oldest is dropped beyond it. Default 16.</summary>
    public int MaxPendingApprovalsPerSession { get; set; } = 16;

    /// <summary>The most JSON values (objects, arrays, scalars) a call's arguments may hold; more is an invalid call. Default 100,000.</summary>
    public int MaxArgumentValues { get; set; } = 100_000;

    /// <summary>The longest string, in UTF-8 bytes, a call's arguments may hold; longer is an invalid call. Default 1 MiB.</summary>
    public int MaxArgumentStringBytes { get; set; } = 1024 * 1024;

    /// <summary>How many tool names that no exact key matches are remembered with their glob resolution. Default 10,000.</summary>
    public int MaxResolvedToolNames { get; set; } = 10_000;

    /// <summary>
    /// The cache that expires idle limit counters. Default: a private <see cref="MemoryCache"/>. A shared
    /// cache must not have a size limit smaller than <see cref="MaxTrackedLimitKeys"/>.
    /// </summary>
    public IMemoryCache? LimitCache { get; set; }

    /// <summary>
    /// Which limit spends an allowed call can give back with <see cref="PolicyEvaluator.Refund(in Decision)"/>, for
    /// example when the tool then fails. Default <see cref="RefundScope.None"/>: no refund tokens, and
    /// <see cref="PolicyEvaluator.Evaluate(in ToolCall)"/> allocates nothing. Engines registered with
    /// <c>AddPolicyEngine</c> start from <see cref="RefundScope.CostLimits"/>.
    /// </summary>
    public RefundScope Refunds { get; set; }

    /// <summary>
    /// Where limit counters and approvals live. Default <see langword="null"/>: in this evaluator's memory, reached
    /// without allocating, and <see cref="PolicyEvaluator.EvaluateAsync"/> completes synchronously. Set a shared store
    /// (such as the Redis one in <c>PolicyEngine.Redis</c>) to share them between replicas; then
    /// <see cref="PolicyEvaluator.EvaluateAsync"/> takes one round trip for a call that reaches its limits or approval,
    /// and the synchronous <see cref="PolicyEvaluator.Evaluate(in ToolCall)"/> blocks its thread for that round trip, at
    /// most <see cref="PolicyStateStore.Timeout"/>. Chosen when the evaluator is built; the caps above
    /// (<see cref="MaxTrackedLimitKeys"/>, <see cref="LimitCache"/>) then apply only to a store's own settings.
    /// </summary>
    public PolicyStateStore? StateStore { get; set; }

    /// <summary>
    /// Where the evaluator logs what a host must know about, such as a shared <see cref="StateStore"/> that stopped
    /// answering. Default <see langword="null"/>: nothing is logged. Engines registered with <c>AddPolicyEngine</c> take
    /// one from the container's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    internal PolicyEngineOptions Validated()
    {
        if (!Enum.IsDefined(Refunds))
        {
            throw new ArgumentOutOfRangeException(nameof(Refunds), Refunds, "Refunds must be None, CostLimits or AllLimits.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedLimitKeys, 1, nameof(MaxTrackedLimitKeys));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingApprovals, 1, nameof(MaxPendingApprovals));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingApprovalsPerSession, 1, nameof(MaxPendingApprovalsPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxArgumentValues, 1, nameof(MaxArgumentValues));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxArgumentStringBytes, 1, nameof(MaxArgumentStringBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxResolvedToolNames, nameof(MaxResolvedToolNames));

        // A copy, so that changing the options object later cannot change a running evaluator.
        return (PolicyEngineOptions)MemberwiseClone();
    }
}
