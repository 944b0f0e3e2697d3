namespace PolicyEngine;

/// <summary>Which spends of an allowed call <see cref="PolicyEvaluator.Refund(in Decision)"/> can give back.</summary>
public enum RefundScope
{
    /// <summary>None: decisions carry no refund token, and evaluating allocates nothing (the default of <see cref="PolicyEngineOptions"/>).</summary>
    None,

    /// <summary>
    /// Spends on limits with a <c>cost</c> (budgets): a failed transfer gives its amount back, while a count limit
    /// keeps counting the attempt, which still reached the tool. Each allowed call that spends on one allocates its token.
    /// </summary>
    CostLimits,

    /// <summary>Spends on every limit, count limits included. Each allowed call that spends allocates its token.</summary>
    AllLimits,
}
