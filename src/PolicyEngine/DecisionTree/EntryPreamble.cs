using System.Runtime.CompilerServices;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// What a tools entry checks before its rules (docs/policy-language.md#evaluating-a-call step 4): its <c>pin</c> and its <c>action</c>. Few
/// entries have either, so a block holds this apart, and most blocks hold none.
/// </summary>
internal sealed class EntryPreamble(RuleBlock block, string? pin, BlockAction action, string? reason)
{
    private DecisionOutcome? _pinFailed;
    private DecisionOutcome? _action;

    public string? Pin { get; } = pin;

    public BlockAction Action { get; } = action;

    /// <summary>The outcome that denies, if the pin or the action does; records a required approval in <paramref name="approval"/>.</summary>
    public DecisionOutcome? Evaluate(in EvalContext ctx, ref string? pin, ref DecisionOutcome? approval)
    {
        if (Pin is not null && !PinMatches(in ctx, ref pin))
        {
            return _pinFailed ?? PinFailed();
        }

        if (Action != BlockAction.None)
        {
            var outcome = _action ?? ActionOutcome();
            if (Action == BlockAction.Deny)
            {
                return outcome;
            }

            approval ??= outcome;
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

    // Made on the first decision that reports them, as the rules' outcomes are (see RuleOutcomes).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecisionOutcome PinFailed() => RuleOutcomes.Publish(ref _pinFailed, new DecisionOutcome(PolicyEffect.Deny,
        DecisionCodes.DefinitionChanged, block.Pointer + "/pin", Sentences.DefinitionChanged));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecisionOutcome ActionOutcome() => RuleOutcomes.Publish(ref _action, Action == BlockAction.Deny
        ? new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Denied, block.Pointer + "/action", reason ?? Sentences.Denied)
        : new DecisionOutcome(PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired, block.Pointer + "/action", reason ?? Sentences.ApprovalRequired));
}
