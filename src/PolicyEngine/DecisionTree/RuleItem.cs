using PolicyEngine.DecisionTree.Conditions;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// A <c>require</c> item, or a <c>deny_if</c> / <c>approve_if</c> entry: a struct in its block's array, so a
/// compiled rule is no object of its own. Its two outcomes are made on first use, in its block (see <see cref="RuleOutcomes"/>).
/// </summary>
internal readonly struct RuleItem(Condition condition, int index, string message)
{
    public readonly Condition Condition = condition;

    /// <summary>The item's index in the document's array, for its pointer.</summary>
    public readonly int Index = index;

    /// <summary>What the item says when it bites: on_fail, on_deny or reason, else the engine's sentence.</summary>
    public readonly string Message = message;
}
