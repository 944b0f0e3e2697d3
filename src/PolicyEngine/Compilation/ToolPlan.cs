using PolicyEngine.Evaluation;
using PolicyEngine.Limits;

namespace PolicyEngine.Compilation;

/// <summary>
/// Everything one tool name needs, worked out at compile time (or once, for names matched only by globs):
/// the fixed outcome if nothing can change it, else the ordered blocks and limits to run.
/// </summary>
internal sealed class ToolPlan
{
    private readonly RuleBlock? _allowedBy;
    private DecisionOutcome? _allow;

    /// <summary>A plan that runs <paramref name="blocks"/>: allowed by the entry <paramref name="allowedBy"/>, or, when it is null, with <paramref name="noMatch"/> (default_allow).</summary>
    public ToolPlan(ReadOnlySpan<RuleBlock> blocks, LimitDefinition[] limits, WantedArgs wanted, RuleBlock? allowedBy, DecisionOutcome? noMatch = null)
    {
        _allowedBy = allowedBy;
        _allow = noMatch;
        Blocks = WithRules(blocks);
        Limits = Concat(blocks, limits);
        Fixed = Blocks.Length == 0 && Limits.Length == 0 ? Allow : null; // made now: the fixed path reads it as it is
        Wanted = Fixed is null ? wanted : WantedArgs.None;
    }

    /// <summary>The blocks that have rules, in one exact array.</summary>
    private static RuleBlock[] WithRules(ReadOnlySpan<RuleBlock> blocks)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            count += block.HasRules ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var result = new RuleBlock[count];
        count = 0;
        foreach (var block in blocks)
        {
            if (block.HasRules)
            {
                result[count++] = block;
            }
        }

        return result;
    }

    /// <summary>The blocks' limits in order, out of <paramref name="all"/>, the document's limits.</summary>
    private static LimitDefinition[] Concat(ReadOnlySpan<RuleBlock> blocks, LimitDefinition[] all)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            count += block.LimitCount;
        }

        if (count == 0)
        {
            return [];
        }

        var limits = new LimitDefinition[count];
        count = 0;
        foreach (var block in blocks)
        {
            block.LimitsIn(all).CopyTo(limits.AsSpan(count));
            count += block.LimitCount;
        }

        return limits;
    }

    /// <summary>A plan decided before any rule runs: hidden or default-denied.</summary>
    public ToolPlan(DecisionOutcome decided)
    {
        _allow = decided;
        Blocks = [];
        Limits = [];
        Fixed = decided;
        Wanted = WantedArgs.None;
    }

    /// <summary>The top-level argument names the plan's paths read, found during validation (see <see cref="ArgNames"/>).</summary>
    public WantedArgs Wanted { get; }

    /// <summary>The outcome when nothing denies: allowed (with the entry's pointer, made on first use) or default_allow.</summary>
    public DecisionOutcome Allow => _allow ?? MakeAllow();

    /// <summary>The blocks that have rules, in evaluation order.</summary>
    public RuleBlock[] Blocks { get; }

    /// <summary>Every limit that applies, in order.</summary>
    public LimitDefinition[] Limits { get; }

    /// <summary>Set when the decision is the same for every call to this tool.</summary>
    public DecisionOutcome? Fixed { get; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DecisionOutcome MakeAllow() =>
        RuleOutcomes.Publish(ref _allow, new DecisionOutcome(PolicyEffect.Allow, DecisionCodes.Allowed, _allowedBy!.Pointer, null));
}
