using System.Globalization;
using PolicyEngine.Compilation;
using PolicyEngine.Evaluation;
using PolicyEngine.Json;

namespace PolicyEngine.Limits;

internal enum LimitScope : byte
{
    Session,
    Global,
    Value,
}

/// <summary>A compiled limit (spec §4): what it counts, per what, and the outcomes it gives, made once.</summary>
internal sealed class LimitDefinition
{
    /// <summary>The key every call whose <c>per</c> value is missing shares; canonical JSON never starts with NUL.</summary>
    private const string MissingKey = "\0missing";

    private DecisionOutcome? _limited;
    private DecisionOutcome? _indeterminate;

    public required int Index { get; init; }

    /// <summary>The key of the tools entry that holds the limit; null for <c>all_tools</c>.</summary>
    public required string? ToolKey { get; init; }

    /// <summary>The limit's index in <c>limits</c>, or -1 for <c>rate_limit</c>.</summary>
    public required int Slot { get; init; }

    /// <summary>Written when asked for (an outcome made, a snapshot built): not kept.</summary>
    public string Pointer => Slot < 0
        ? RuleOutcomes.BlockPointer(ToolKey) + "/rate_limit"
        : RuleOutcomes.ItemPointer(RuleOutcomes.BlockPointer(ToolKey), "limits", Slot);

    public required decimal Max { get; init; }

    public required TimeSpan Window { get; init; }

    public required LimitScope Scope { get; init; }

    public ValuePath? ScopePath { get; init; }

    public ValuePath? Cost { get; init; }

    public string? OnLimit { get; init; }

    public string? Name { get; init; }

    /// <summary>rate_limited at this limit; made on the first decision that reports it, as rule outcomes are (see <see cref="RuleOutcomes"/>).</summary>
    public DecisionOutcome Limited => _limited ?? MakeLimited();

    /// <summary>indeterminate at this limit: its cost is missing or ill-typed.</summary>
    public DecisionOutcome Indeterminate => _indeterminate ?? MakeIndeterminate();

    /// <summary>Pointer, max, window, per and cost, normalised: a reload keeps the counters of a limit whose identity is unchanged.</summary>
    public string Identity => string.Join('\n',
        Pointer,
        Max.ToString(CultureInfo.InvariantCulture),
        Window.Ticks.ToString(CultureInfo.InvariantCulture),
        Scope == LimitScope.Value ? "value:" + ScopePath!.Text : Scope.ToString(),
        Cost?.Text ?? "");

    /// <summary>The key of a session or global counter; null for a <c>per</c> value, whose key is <see cref="ValueKey"/>.</summary>
    public string? SharedKey(in EvalContext ctx) => Scope switch
    {
        LimitScope.Session => ctx.Call.SessionId ?? "",
        LimitScope.Global => "",
        _ => null,
    };

    /// <summary>
    /// The canonical JSON of the call's <c>per</c> value: written into <paramref name="buffer"/> when it fits a
    /// common form (see <see cref="ArgValue.TryWriteCanonical"/>), else allocated.
    /// </summary>
    public ReadOnlySpan<char> ValueKey(in EvalContext ctx, Span<char> buffer)
    {
        var value = ScopePath!.Resolve(in ctx);
        if (value.IsMissing)
        {
            return MissingKey;
        }

        return value.TryWriteCanonical(buffer, out int written) ? buffer[..written] : value.ToCanonical();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DecisionOutcome MakeLimited() => RuleOutcomes.Publish(ref _limited, new DecisionOutcome(PolicyEffect.Deny,
        DecisionCodes.RateLimited, Pointer, LimitSentences.Limited(OnLimit, Name, Max, Cost is not null, Window)));

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DecisionOutcome MakeIndeterminate() => RuleOutcomes.Publish(ref _indeterminate, new DecisionOutcome(PolicyEffect.Deny,
        DecisionCodes.Indeterminate, Pointer, LimitSentences.Indeterminate(Cost?.Text)));

    /// <summary>The call's spend: 1, or the <c>cost</c> value, which must be an exact number ≥ 0.</summary>
    public bool TryGetCost(in EvalContext ctx, out decimal cost)
    {
        if (Cost is null)
        {
            cost = 1m;
            return true;
        }

        var value = Cost.Resolve(in ctx);
        return value.GetNumber(out cost) == NumberStatus.Exact && cost >= 0;
    }
}
