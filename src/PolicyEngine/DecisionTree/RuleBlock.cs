using System.Runtime.CompilerServices;
using PolicyEngine.DecisionTree.Conditions;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>A compiled rule block (<c>all_tools</c> or one <c>tools</c> entry), docs/policy-language.md#rule-blocks and #evaluating-a-call step 4.</summary>
internal sealed class RuleBlock
{
    // Rule i's outcomes at 2i (requirement_failed, denied or approval_required) and 2i + 1 (indeterminate), once made. The
    // array is made with the block's first outcome: most blocks of a large policy never report one, and keep no room for them.
    private DecisionOutcome?[]? _outcomes;

    /// <summary>The entry's key in <c>tools</c>; null for <c>all_tools</c>.</summary>
    public required string? ToolKey { get; init; }

    /// <summary>Written when an outcome that names the block is made: rarely, so it is not kept.</summary>
    public string Pointer => RuleOutcomes.BlockPointer(ToolKey);

    /// <summary>The entry's pin and action, when it has either.</summary>
    public EntryPreamble? Preamble { get; set; }

    /// <summary>The <c>require</c> items, then the <c>deny_if</c> entries, then the <c>approve_if</c> entries: one range per block.</summary>
    public ReadOnlySpan<RuleItem> Rules => new(RuleStore, RuleStart, RuleCount);

    /// <summary>The array that holds the block's rules from <see cref="RuleStart"/> on: shared by the blocks compiled together (see the compiler, <c>Compilation/BlockCompiler</c>).</summary>
    public RuleItem[] RuleStore { get; init; } = [];

    public int RuleStart { get; init; }

    public int RuleCount { get; init; }

    /// <summary>Where the <c>require</c> items end in <see cref="Rules"/>.</summary>
    public int RequireEnd { get; init; }

    /// <summary>Where the <c>deny_if</c> entries end in <see cref="Rules"/>.</summary>
    public int DenyIfEnd { get; init; }

    /// <summary>
    /// Where the block's limits (<c>rate_limit</c> first, then <c>limits</c> in order) start in the document's
    /// limits, which a block compiles one after the other: a range, so that a block needs no array of its own.
    /// </summary>
    public int LimitStart { get; init; }

    public int LimitCount { get; init; }

    /// <summary>The block's limits within <paramref name="all"/>, the document's limits.</summary>
    public ReadOnlySpan<LimitDefinition> LimitsIn(LimitDefinition[] all) => all.AsSpan(LimitStart, LimitCount);

    /// <summary>The policy-wide ids of the top-level argument names the block's paths read; set by <see cref="ArgNames"/>.</summary>
    public int[] ArgNameIds { get; set; } = [];

    public bool HasRules => Preamble is not null || RuleCount > 0;

    /// <summary>Whether a rule of the block has made an outcome yet (none has, until a decision reports one).</summary>
    public bool HasOutcomes => _outcomes is not null;

    /// <summary>
    /// Runs the block's rules in order. Returns the outcome that denies, if any; records the first approval
    /// requirement in <paramref name="approval"/>.
    /// </summary>
    public DecisionOutcome? Evaluate(in EvalContext ctx, ref string? pin, ref DecisionOutcome? approval)
    {
        if (Preamble is { } preamble && preamble.Evaluate(in ctx, ref pin, ref approval) is { } decided)
        {
            return decided;
        }

        var rules = Rules;
        int i = 0;
        for (; i < RequireEnd; i++)
        {
            switch (rules[i].Condition.Evaluate(in ctx))
            {
                case Tri.False: return Made(2 * i) ?? Fired(i);
                case Tri.Indeterminate: return Made((2 * i) + 1) ?? Indeterminate(i);
            }
        }

        for (; i < DenyIfEnd; i++)
        {
            switch (rules[i].Condition.Evaluate(in ctx))
            {
                case Tri.True: return Made(2 * i) ?? Fired(i);
                case Tri.Indeterminate: return Made((2 * i) + 1) ?? Indeterminate(i);
            }
        }

        for (; i < rules.Length; i++)
        {
            switch (rules[i].Condition.Evaluate(in ctx))
            {
                case Tri.True: approval ??= Made(2 * i) ?? Fired(i); break;
                case Tri.Indeterminate: return Made((2 * i) + 1) ?? Indeterminate(i);
            }
        }

        return null;
    }

    private DecisionOutcome? Made(int slot) => _outcomes?[slot];

    // The outcomes below are made once, on a block's first decision that needs them; out of line, so the loops stay small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecisionOutcome Fired(int at)
    {
        var kind = KindAt(at);
        ref readonly var item = ref Rules[at];
        string rule = ItemPointer(kind, item.Index);
        var made = kind switch
        {
            RuleKind.Require => new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.RequirementFailed, rule, item.Message),
            RuleKind.DenyIf => new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Denied, rule, item.Message),
            _ => new DecisionOutcome(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, rule, item.Message),
        };
        return RuleOutcomes.Publish(ref Outcomes()[2 * at], made);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecisionOutcome Indeterminate(int at) => RuleOutcomes.Publish(ref Outcomes()[(2 * at) + 1],
        new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Indeterminate, ItemPointer(KindAt(at), Rules[at].Index), Sentences.RuleIndeterminate));

    /// <summary>The outcomes' array, made by the first thread that needs it (the others take that one).</summary>
    private DecisionOutcome?[] Outcomes()
    {
        if (_outcomes is { } known)
        {
            return known;
        }

        var made = new DecisionOutcome?[2 * RuleCount];
        return Interlocked.CompareExchange(ref _outcomes, made, null) ?? made;
    }

    private RuleKind KindAt(int at) => at < RequireEnd ? RuleKind.Require : at < DenyIfEnd ? RuleKind.DenyIf : RuleKind.ApproveIf;

    private string ItemPointer(RuleKind kind, int index) =>
        RuleOutcomes.ItemPointer(Pointer, kind switch { RuleKind.Require => "require", RuleKind.DenyIf => "deny_if", _ => "approve_if" }, index);
}
