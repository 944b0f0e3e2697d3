using PolicyEngine.Approvals;
using PolicyEngine.Limits;

namespace PolicyEngine.Evaluation;

/// <summary>Spec §7: the steps of one decision, in order; the first that decides, decides.</summary>
internal static class CallEvaluator
{
    public static Decision Evaluate(EngineSnapshot snapshot, in ToolCall call, ApprovalStore approvals, CounterStore counters, PolicyEngineOptions options)
    {
        var policy = snapshot.Policy.Compiled;
        var decision = Decide(snapshot, in call, approvals, counters, options);
        return policy.Shadow ? new Decision(Outcomes.Shadow, null, decision.ApprovalId, decision.Outcome) : decision;
    }

    private static Decision Decide(EngineSnapshot snapshot, in ToolCall call, ApprovalStore approvals, CounterStore counters, PolicyEngineOptions options)
    {
        // 1. invalid_call
        if (CallValidator.Validate(in call, options) is { } invalid)
        {
            return new Decision(invalid);
        }

        // 2–3. hidden, default_deny, and tools no rule or limit can change
        var policy = snapshot.Policy.Compiled;
        var plan = policy.Resolve(call.Tool, options.MaxResolvedToolNames);
        if (plan.Fixed is { } fixedOutcome)
        {
            return new Decision(fixedOutcome);
        }

        // 4. rules, block by block
        var ctx = new EvalContext(in call);
        string? pin = null;
        DecisionOutcome? approval = null;
        foreach (var block in plan.Blocks)
        {
            if (block.Evaluate(in ctx, ref pin, ref approval) is { } denied)
            {
                return new Decision(denied);
            }
        }

        // 5. approval
        string? approvalId = null;
        long grantExpires = 0;
        if (approval is not null)
        {
            string arguments = ApprovalIds.CanonicalArguments(in call);
            approvalId = ApprovalIds.For(policy, in call, arguments);
            if (!approvals.TryTakeGrant(approvalId, out grantExpires))
            {
                approvals.RecordPending(approvalId, in call, arguments, approval, policy.ApprovalTtl);
                return new Decision(approval, null, approvalId);
            }
        }

        // 6. limits, all or nothing
        if (plan.Limits.Length > 0 && LimitGate.TryAcquire(plan, snapshot.States, counters, in ctx) is { } limited)
        {
            if (approvalId is not null)
            {
                approvals.ReturnGrant(approvalId, grantExpires); // not spent: the call did not run
            }

            return limited;
        }

        // 7. allowed or default_allow
        return new Decision(plan.Allow, null, approvalId);
    }
}
