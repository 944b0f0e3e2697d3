using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// What refund tokens cost (<see cref="PolicyEngineOptions.Refunds"/>): the daily budget of
/// <c>EvaluateBenchmarks.CalendarBudget</c> with tokens for cost limits, evaluated alone and evaluated then refunded
/// (which keeps the budget from filling). Not gated: a call that spends on a refundable limit allocates its token.
/// </summary>
[MemoryDiagnoser]
public class RefundBenchmarks
{
    private PolicyEvaluator _evaluator = null!;
    private ToolCall _call;

    [GlobalSetup]
    public void Setup()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.CalendarBudgetPolicy()), new PolicyEngineOptions { Refunds = RefundScope.CostLimits });
        _call = Workloads.CalendarBudgetCall();
        var first = _evaluator.Evaluate(in _call);
        Workloads.Expect(first, DecisionCodes.Allowed, nameof(RefundBenchmarks));
        if (!_evaluator.Refund(in first))
        {
            throw new InvalidOperationException($"{nameof(RefundBenchmarks)}: the allowed call had nothing to refund.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _evaluator.Dispose();

    /// <summary>An allowed call that spends on the budget and gets a refund token.</summary>
    [Benchmark]
    public Decision WithRefundToken() => _evaluator.Evaluate(in _call);

    /// <summary>The same call, then its refund.</summary>
    [Benchmark]
    public bool EvaluateThenRefund()
    {
        var decision = _evaluator.Evaluate(in _call);
        return _evaluator.Refund(in decision);
    }
}
