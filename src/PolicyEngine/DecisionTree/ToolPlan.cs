using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// Everything one tool name needs, worked out at compile time (or once, for names matched only by globs):
/// the fixed outcome if nothing can change it, else the ordered blocks and limits to run.
/// </summary>
internal sealed class ToolPlan
{
    private readonly RuleBlock? _allowedBy;
    private readonly RuleBlock[] _blocks;
    private readonly LimitDefinition[] _limits;
    private readonly int _blocksStart;
    private readonly int _blocksCount;
    private readonly int _limitsStart;
    private readonly int _limitsCount;
    private DecisionOutcome? _allow;

    /// <summary>
    /// A plan that runs <paramref name="blocks"/>: allowed by the entry <paramref name="allowedBy"/>, or, when it is null, with
    /// <paramref name="noMatch"/> (default_allow). With <paramref name="store"/>, its blocks and limits are ranges of shared
    /// arrays (a policy being built); without, arrays of its own (a plan resolved later, maybe concurrently).
    /// </summary>
    public ToolPlan(ReadOnlySpan<RuleBlock> blocks, LimitDefinition[] limits, WantedArgs wanted, RuleBlock? allowedBy, DecisionOutcome? noMatch = null, PlanStore? store = null)
    {
        _allowedBy = allowedBy;
        _allow = noMatch;
        foreach (var block in blocks)
        {
            _blocksCount += block.HasRules ? 1 : 0;
        }

        _blocks = _blocksCount == 0 ? [] : store is null ? new RuleBlock[_blocksCount] : store.Blocks.Take(_blocksCount, out _blocksStart);
        int at = _blocksStart;
        foreach (var block in blocks)
        {
            if (block.HasRules)
            {
                _blocks[at++] = block;
            }
        }

        (_limits, _limitsStart, _limitsCount) = Concat(blocks, limits, store);
        Fixed = _blocksCount == 0 && _limitsCount == 0 ? Allow : null; // made now: the fixed path reads it as it is
        Wanted = Fixed is null ? wanted : WantedArgs.None;
    }

    /// <summary>The blocks' limits in order, out of <paramref name="all"/>, the document's limits.</summary>
    private static (LimitDefinition[] Array, int Start, int Count) Concat(ReadOnlySpan<RuleBlock> blocks, LimitDefinition[] all, PlanStore? store)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            count += block.LimitCount;
        }

        if (count == 0)
        {
            return ([], 0, 0);
        }

        int start = 0;
        var limits = store is null ? new LimitDefinition[count] : store.Limits.Take(count, out start);
        int at = start;
        foreach (var block in blocks)
        {
            block.LimitsIn(all).CopyTo(limits.AsSpan(at));
            at += block.LimitCount;
        }

        return (limits, start, count);
    }

    /// <summary>A plan decided before any rule runs: hidden or default-denied.</summary>
    public ToolPlan(DecisionOutcome decided)
    {
        _allow = decided;
        _blocks = [];
        _limits = [];
        Fixed = decided;
        Wanted = WantedArgs.None;
    }

    /// <summary>The top-level argument names the plan's paths read, found during validation (see <see cref="ArgNames"/>).</summary>
    public WantedArgs Wanted { get; }

    /// <summary>The outcome when nothing denies: allowed (with the entry's pointer, made on first use) or default_allow.</summary>
    public DecisionOutcome Allow => _allow ?? MakeAllow();

    /// <summary>The blocks that have rules, in evaluation order.</summary>
    public ReadOnlySpan<RuleBlock> Blocks => new(_blocks, _blocksStart, _blocksCount);

    /// <summary>Every limit that applies, in order.</summary>
    public ReadOnlySpan<LimitDefinition> Limits => new(_limits, _limitsStart, _limitsCount);

    /// <summary>Whether any limit applies.</summary>
    public bool HasLimits => _limitsCount > 0;

    /// <summary>Set when the decision is the same for every call to this tool.</summary>
    public DecisionOutcome? Fixed { get; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DecisionOutcome MakeAllow() =>
        RuleOutcomes.Publish(ref _allow, new DecisionOutcome(PolicyEffect.Allow, DecisionCodes.Allowed, _allowedBy!.Pointer, null));
}
