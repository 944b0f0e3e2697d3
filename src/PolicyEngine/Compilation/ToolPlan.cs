using PolicyEngine.Evaluation;
using PolicyEngine.Limits;

namespace PolicyEngine.Compilation;

/// <summary>
/// Everything one tool name needs, worked out at compile time (or once, for names matched only by globs):
/// the fixed outcome if nothing can change it, else the ordered blocks and limits to run.
/// </summary>
internal sealed class ToolPlan
{
    public ToolPlan(DecisionOutcome allow, RuleBlock[] blocks, WantedArgs wanted)
    {
        Allow = allow;
        Blocks = WithRules(blocks);
        Limits = blocks.Length == 1 ? blocks[0].Limits : Concat(blocks);
        Fixed = Blocks.Length == 0 && Limits.Length == 0 ? allow : null;
        Wanted = Fixed is null ? wanted : WantedArgs.None;
    }

    /// <summary>The blocks that have rules: the array itself when all do (no list, as Array.FindAll would make).</summary>
    private static RuleBlock[] WithRules(RuleBlock[] blocks)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            count += block.HasRules ? 1 : 0;
        }

        if (count == blocks.Length)
        {
            return blocks;
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

    private static LimitDefinition[] Concat(RuleBlock[] blocks)
    {
        int count = 0;
        foreach (var block in blocks)
        {
            count += block.Limits.Length;
        }

        var limits = new LimitDefinition[count];
        count = 0;
        foreach (var block in blocks)
        {
            block.Limits.CopyTo(limits, count);
            count += block.Limits.Length;
        }

        return limits;
    }

    /// <summary>A plan decided before any rule runs: hidden or default-denied.</summary>
    public ToolPlan(DecisionOutcome decided)
    {
        Allow = decided;
        Blocks = [];
        Limits = [];
        Fixed = decided;
        Wanted = WantedArgs.None;
    }

    /// <summary>The top-level argument names the plan's paths read, found during validation (see <see cref="ArgNames"/>).</summary>
    public WantedArgs Wanted { get; }

    /// <summary>The outcome when nothing denies: allowed (with the entry's pointer) or default_allow.</summary>
    public DecisionOutcome Allow { get; }

    /// <summary>The blocks that have rules, in evaluation order.</summary>
    public RuleBlock[] Blocks { get; }

    /// <summary>Every limit that applies, in order.</summary>
    public LimitDefinition[] Limits { get; }

    /// <summary>Set when the decision is the same for every call to this tool.</summary>
    public DecisionOutcome? Fixed { get; }
}
