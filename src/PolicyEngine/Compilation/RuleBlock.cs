using PolicyEngine.Compilation.Conditions;
using PolicyEngine.Evaluation;
using PolicyEngine.Limits;

namespace PolicyEngine.Compilation;

/// <summary>A <c>require</c> item, or a <c>deny_if</c> / <c>approve_if</c> entry, with its outcomes made once.</summary>
internal sealed class RuleItem(Condition condition, DecisionOutcome fired, DecisionOutcome indeterminate)
{
    public Condition Condition { get; } = condition;

    /// <summary>What the item decides when it bites: requirement_failed, denied or approval_required.</summary>
    public DecisionOutcome Fired { get; } = fired;

    public DecisionOutcome Indeterminate { get; } = indeterminate;
}

/// <summary>A compiled rule block (<c>all_tools</c> or one <c>tools</c> entry), spec §2 and §7 step 4.</summary>
internal sealed class RuleBlock
{
    public required string Pointer { get; init; }

    public string? Pin { get; init; }

    public DecisionOutcome? PinFailed { get; init; }

    /// <summary>The <c>action</c> outcome when it is <c>deny</c> or <c>require_approval</c>.</summary>
    public DecisionOutcome? Action { get; init; }

    public RuleItem[] Require { get; init; } = [];

    public RuleItem[] DenyIf { get; init; } = [];

    public RuleItem[] ApproveIf { get; init; } = [];

    /// <summary><c>rate_limit</c> first, then <c>limits</c> in order.</summary>
    public LimitDefinition[] Limits { get; init; } = [];

    /// <summary>The policy-wide ids of the top-level argument names the block's paths read; set by <see cref="ArgNames"/>.</summary>
    public int[] ArgNameIds { get; set; } = [];

    public bool HasRules => Pin is not null || Action is not null || Require.Length + DenyIf.Length + ApproveIf.Length > 0;

    /// <summary>
    /// Runs the block's rules in order. Returns the outcome that denies, if any; records the first approval
    /// requirement in <paramref name="approval"/>.
    /// </summary>
    public DecisionOutcome? Evaluate(in EvalContext ctx, ref string? pin, ref DecisionOutcome? approval)
    {
        if (Pin is not null && !PinMatches(in ctx, ref pin))
        {
            return PinFailed;
        }

        if (Action is { } action)
        {
            if (action.Effect == PolicyEffect.Deny)
            {
                return action;
            }

            approval ??= action;
        }

        foreach (var item in Require)
        {
            switch (item.Condition.Evaluate(in ctx))
            {
                case Tri.False: return item.Fired;
                case Tri.Indeterminate: return item.Indeterminate;
            }
        }

        foreach (var item in DenyIf)
        {
            switch (item.Condition.Evaluate(in ctx))
            {
                case Tri.True: return item.Fired;
                case Tri.Indeterminate: return item.Indeterminate;
            }
        }

        foreach (var item in ApproveIf)
        {
            switch (item.Condition.Evaluate(in ctx))
            {
                case Tri.True: approval ??= item.Fired; break;
                case Tri.Indeterminate: return item.Indeterminate;
            }
        }

        return null;
    }

    private bool PinMatches(in EvalContext ctx, ref string? pin)
    {
        // Hash the definition at most once per call, however many blocks pin it.
        pin ??= ctx.Call.DefinitionPin
            ?? (Json.PinHasher.TryCompute(ctx.Call.Definition, out var computed) ? computed : "");
        return string.Equals(pin, Pin, StringComparison.Ordinal);
    }
}
