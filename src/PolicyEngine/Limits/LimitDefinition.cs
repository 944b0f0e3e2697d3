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

    /// <summary>The sliding window, or the length of the calendar unit when <see cref="Calendar"/>.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>
    /// A calendar window (spec §4, <c>"minute"</c>, <c>"hour"</c>, <c>"day"</c>): the counter empties at every UTC
    /// boundary of <see cref="Window"/> rather than sliding.
    /// </summary>
    public bool Calendar { get; init; }

    public required LimitScope Scope { get; init; }

    public ValuePath? ScopePath { get; init; }

    public ValuePath? Cost { get; init; }

    /// <summary>Set for a limit translated from an Intercept counter: its cost must be a JSON number (Intercept fails on a string).</summary>
    public bool CostNumbersOnly { get; init; }

    public string? OnLimit { get; init; }

    public string? Name { get; init; }

    /// <summary>rate_limited at this limit; made on the first decision that reports it, as rule outcomes are (see <see cref="RuleOutcomes"/>).</summary>
    public DecisionOutcome Limited => _limited ?? MakeLimited();

    /// <summary>indeterminate at this limit: its cost is missing or ill-typed.</summary>
    public DecisionOutcome Indeterminate => _indeterminate ?? MakeIndeterminate();

    /// <summary>
    /// What a reload matches a limit by (spec §7 Reload): its block, window, per and cost, normalised (<c>60</c>
    /// and <c>"1m"</c> are one window, an absent per is the session, paths in one spelling). Not its place in the
    /// block (<see cref="Pointer"/>) nor its max, which a reload may change while the counters are kept. Limits
    /// of one block with the same identity are told apart by their order (see <c>EngineSnapshot</c>). A calendar
    /// window is not the sliding window of the same length.
    /// </summary>
    public string Identity => string.Join('\n',
        ToolKey is null ? "all_tools" : "tools:" + ToolKey,
        (Calendar ? "calendar:" : "") + Window.Ticks.ToString(CultureInfo.InvariantCulture),
        Scope == LimitScope.Value ? "value:" + ScopePath!.CanonicalText : Scope.ToString(),
        Cost?.CanonicalText ?? "");

    /// <summary>
    /// How many limits before this one in the document have the same <see cref="Identity"/>: limits of one block with
    /// the same identity are told apart by their order, in memory (<c>EngineSnapshot</c>) and in a shared store (<see cref="StableId"/>).
    /// </summary>
    public int Occurrence { get; set; } // set once, by the compiler, before the policy is shared

    /// <summary>
    /// <see cref="Identity"/> and <see cref="Occurrence"/> as a short stable id for shared stores (<see cref="LimitCharge.Limit"/>):
    /// the hex of the first 16 bytes of their SHA-256, the same in every process. Made on first use.
    /// </summary>
    public string StableId => _stableId ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(Occurrence == 0 ? Identity : Identity + "\n#" + Occurrence.ToString(CultureInfo.InvariantCulture))).AsSpan(0, 16));

    private string? _stableId;

    /// <summary>The call's counter key for this limit as a string (<see cref="SharedKey"/> or <see cref="ValueKey"/>), for shared stores.</summary>
    public string PartitionKey(in EvalContext ctx)
    {
        if (SharedKey(in ctx) is { } shared)
        {
            return shared;
        }

        Span<char> buffer = stackalloc char[LongestPlainKey];
        return ValueKey(in ctx, buffer).ToString();
    }

    /// <summary>The key of a session or global counter; null for a <c>per</c> value, whose key is <see cref="ValueKey"/>.</summary>
    public string? SharedKey(in EvalContext ctx) => Scope switch
    {
        LimitScope.Session => SessionKey(ctx.Call.SessionId ?? ""),
        LimitScope.Global => "",
        _ => null,
    };

    /// <summary>
    /// The key of the call's <c>per</c> value: its canonical JSON, written into <paramref name="buffer"/> when it
    /// fits a common form (see <see cref="ArgValue.TryWriteCanonical"/>). A canonical text longer than
    /// <see cref="LongestPlainKey"/> is keyed by its SHA-256 instead (<see cref="CompactKey.Digest"/>), so a counter's key
    /// stays small whatever the value: a counter must never keep a client's megabyte alive.
    /// </summary>
    public ReadOnlySpan<char> ValueKey(in EvalContext ctx, Span<char> buffer)
    {
        var value = ScopePath!.Resolve(in ctx);
        if (value.IsMissing)
        {
            return MissingKey;
        }

        if (value.TryWriteCanonical(buffer, out int written))
        {
            return buffer[..written];
        }

        string canonical = value.ToCanonical();
        return CompactKey.Of(canonical, LongestPlainKey);
    }

    /// <summary>A session's counter key: the id, or its digest when it is long (<see cref="CompactKey.Of"/>); no allocation for ordinary ids.</summary>
    private static string SessionKey(string session) => CompactKey.NeedsDigest(session, LongestPlainKey) ? CompactKey.Digest(session) : session;

    /// <summary>The longest canonical text kept as a counter's key as it is; longer ones are digested.</summary>
    public const int LongestPlainKey = 128;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DecisionOutcome MakeLimited() => RuleOutcomes.Publish(ref _limited, new DecisionOutcome(PolicyEffect.Deny,
        DecisionCodes.RateLimited, Pointer, LimitSentences.Limited(OnLimit, Name, Max, Cost is not null, Window, Calendar)));

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
        cost = 0;
        return (!CostNumbersOnly || value.Kind == System.Text.Json.JsonValueKind.Number)
            && value.GetNumber(out cost) == NumberStatus.Exact && cost >= 0;
    }
}
