using System.Text.Json;
using PolicyEngine.Approvals;
using PolicyEngine.Limits;
using PolicyEngine.State;
using PolicyEngine.DecisionTree;
using PolicyEngine.Arguments;

namespace PolicyEngine.Evaluation;

/// <summary>docs/policy-language.md#evaluating-a-call: the steps of one decision, in order; the first that decides, decides.</summary>
internal static class CallEvaluator
{
    /// <summary>
    /// Decides a call in memory; with a shared store (<paramref name="gate"/>), a call that reaches the approval or limit
    /// stage is left as <paramref name="work"/> for the store, and the decision returned is then meaningless.
    /// </summary>
    public static Decision Evaluate(EngineSnapshot snapshot, in ToolCall call, ApprovalStore approvals, CounterStore counters, PolicyEngineOptions options,
        StateGate? gate, out StateWork? work)
    {
        var policy = snapshot.Policy.Compiled;
        work = null;
        var decision = Decide(snapshot, in call, approvals, counters, options, gate, ref work);
        return policy.Shadow && work is null ? new Decision(Outcomes.Shadow, null, decision.ApprovalId, decision.Outcome, decision.Receipt) : decision;
    }

    private static Decision Decide(EngineSnapshot snapshot, in ToolCall call, ApprovalStore approvals, CounterStore counters, PolicyEngineOptions options,
        StateGate? gate, ref StateWork? work)
    {
        // 1. invalid_call: the name first (a known name is valid), so that invalid names never reach the plan cache.
        // The plan is found before the arguments are checked, so that the one pass over them also finds what its paths read.
        var compiled = snapshot.Policy.Compiled;
        if (call.Tool is not { } tool || !compiled.TryGetKnownPlan(tool, out var plan))
        {
            if (!ToolNames.IsValid(call.Tool))
            {
                return new Decision(Outcomes.InvalidName);
            }

            plan = compiled.Resolve(call.Tool!, options.MaxResolvedToolNames);
        }

        if (plan.Wanted.Count > 0 && call.ArgumentsDictionary is null && call.Arguments.ValueKind == JsonValueKind.Object)
        {
            return DecideWithSlots(snapshot, plan, in call, approvals, counters, options, gate, ref work);
        }

        if (CallValidator.ValidateArguments(in call, options, WantedArgs.None, default, out _) is { } invalid)
        {
            return new Decision(invalid);
        }

        // 2–3. hidden, default_deny, and tools no rule or limit can change
        if (plan.Fixed is { } fixedOutcome)
        {
            return new Decision(fixedOutcome);
        }

        return RunPlan(snapshot, plan, new EvalContext(in call), approvals, counters, gate, ref work);
    }

    private static Decision DecideWithSlots(EngineSnapshot snapshot, ToolPlan plan, in ToolCall call, ApprovalStore approvals, CounterStore counters, PolicyEngineOptions options,
        StateGate? gate, ref StateWork? work)
    {
        var buffer = new FoundArgs();
        Span<FoundArg> found = buffer;
        found = found[..plan.Wanted.Count];
        if (CallValidator.ValidateArguments(in call, options, plan.Wanted, found, out bool unescaped) is { } invalid)
        {
            return new Decision(invalid);
        }

        return RunPlan(snapshot, plan, new EvalContext(in call, plan.Wanted.Ids, found, unescaped), approvals, counters, gate, ref work);
    }

    private static Decision RunPlan(EngineSnapshot snapshot, ToolPlan plan, in EvalContext ctx, ApprovalStore approvals, CounterStore counters,
        StateGate? gate, ref StateWork? work)
    {
        ref readonly ToolCall call = ref ctx.Call;
        var policy = snapshot.Policy.Compiled;

        // 4. rules, block by block
        string? pin = null;
        DecisionOutcome? approval = null;
        foreach (var block in plan.Blocks)
        {
            if (block.Evaluate(in ctx, ref pin, ref approval) is { } denied)
            {
                return new Decision(denied);
            }
        }

        // 5–6 in a shared store: one request for the grant and every limit
        if (gate is not null && (approval is not null || plan.HasLimits))
        {
            return gate.Prepare(snapshot, plan, in ctx, approval, out work) ?? default;
        }

        // 5. approval
        if (approval is not null)
        {
            return RunApproved(snapshot, plan, in ctx, approvals, counters, approval);
        }

        // 6. limits, all or nothing
        SpendReceipt? receipt = null;
        if (plan.HasLimits && LimitGate.TryAcquire(plan, snapshot.States, counters, in ctx, out receipt) is { } limited)
        {
            return limited;
        }

        // 7. allowed or default_allow
        return new Decision(plan.Allow, receipt: receipt);
    }

    /// <summary>
    /// Steps 5–7 for a call that needs approval: it runs only with a grant, which it spends when allowed and
    /// gives back otherwise (a limit denied it, or a fault), so a grant is never lost to a call that did not run.
    /// </summary>
    private static Decision RunApproved(EngineSnapshot snapshot, ToolPlan plan, in EvalContext ctx, ApprovalStore approvals, CounterStore counters, DecisionOutcome approval)
    {
        ref readonly ToolCall call = ref ctx.Call;
        var policy = snapshot.Policy.Compiled;
        string arguments = ApprovalIds.CanonicalArguments(in call);
        string approvalId = ApprovalIds.For(policy, in call, arguments);
        if (approvals.TryTakeGrant(approvalId) is not { } grant)
        {
            approvals.RecordPending(approvalId, in call, arguments, approval, policy.ApprovalTtl, policy.Fingerprint);
            return new Decision(approval, null, approvalId);
        }

        bool spent = false;
        try
        {
            SpendReceipt? receipt = null;
            if (plan.HasLimits && LimitGate.TryAcquire(plan, snapshot.States, counters, in ctx, out receipt) is { } limited)
            {
                return limited;
            }

            approvals.SpendGrant(approvalId, grant);
            spent = true;
            return new Decision(plan.Allow, null, approvalId, receipt: receipt); // a refund gives back the limits' spend, never the grant
        }
        finally
        {
            if (!spent)
            {
                ApprovalStore.ReturnGrant(grant); // not spent: the call did not run
            }
        }
    }
}
