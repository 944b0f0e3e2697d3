using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// The immutable decision tree of one policy. Exact tool names map to precomputed plans in a
/// <see cref="FrozenDictionary{TKey, TValue}"/>; any other name is resolved through the hide patterns and
/// globs once and remembered in a bounded cache.
/// </summary>
internal sealed class CompiledPolicy
{
    private readonly FrozenDictionary<string, ToolPlan> _exact;
    private readonly (Glob Glob, RuleBlock Block)[] _globs;
    private readonly (string Pattern, Glob? Glob, DecisionOutcome Outcome)[] _hide; // document order
    private readonly RuleBlock? _allTools;
    private readonly DecisionOutcome _noMatch;
    private readonly ToolPlan _noMatchPlan;
    private readonly IReadOnlyList<PolicyEngine.Arguments.ArgSlot> _argNames;
    private readonly ConcurrentDictionary<string, ToolPlan> _resolved = new(StringComparer.Ordinal);

    // While the policy is built, plans that read the same names share one table (a large policy's tools mostly do).
    // Null once built: plans resolved later, concurrently, get their own.
    private Dictionary<int[], PolicyEngine.Arguments.WantedArgs>? _sharedWanted = new(IdsComparer.Instance);
    private PlanStore? _planStore = new(); // likewise: the plans built with the policy take their arrays' ranges from it
    private int _resolvedCount;

    public CompiledPolicy(string fingerprint, bool defaultAllows, bool shadow, TimeSpan approvalTtl,
        List<(string Pattern, string Pointer)> hide, RuleBlock? allTools, List<(string Pattern, RuleBlock Block)> tools, LimitDefinition[] limits,
        IReadOnlyList<PolicyEngine.Arguments.ArgSlot> argNames)
    {
        Fingerprint = fingerprint;
        DefaultAllows = defaultAllows;
        Shadow = shadow;
        ApprovalTtl = approvalTtl;
        Limits = limits;
        _allTools = allTools;
        _argNames = argNames; // bound as the blocks were compiled

        // The first hide pattern in document order that matches is the one reported.
        _hide = [.. hide.Select(h => (h.Pattern, Glob.IsGlob(h.Pattern) ? new Glob(h.Pattern) : null,
            new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Hidden, h.Pointer, Sentences.Hidden)))];
        _globs = [.. tools.Where(t => Glob.IsGlob(t.Pattern)).Select(t => (new Glob(t.Pattern), t.Block))];
        _noMatch = defaultAllows
            ? new DecisionOutcome(PolicyEffect.Allow, DecisionCodes.DefaultAllow, "/default", null)
            : new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.DefaultDeny, "/default", Sentences.DefaultDeny);
        _noMatchPlan = defaultAllows ? NewPlan(null, allTools is null ? [] : [allTools]) : new ToolPlan(_noMatch);
        var exact = new Dictionary<string, ToolPlan>(tools.Count, StringComparer.Ordinal);
        foreach (var (pattern, block) in tools)
        {
            if (!Glob.IsGlob(pattern))
            {
                exact.Add(pattern, Build(pattern, block));
            }
        }

        _exact = exact.ToFrozenDictionary(StringComparer.Ordinal);
        _sharedWanted = null;
        _planStore = null;
    }

    public string Fingerprint { get; }

    public bool DefaultAllows { get; }

    public bool Shadow { get; }

    public TimeSpan ApprovalTtl { get; }

    /// <summary>Every limit of the document, indexed by <see cref="LimitDefinition.Index"/>.</summary>
    public LimitDefinition[] Limits { get; }

    /// <summary>
    /// The plan for a name that is a key of the policy or was resolved before. Such a name is known to be
    /// valid: keys were validated as tool names when the policy was compiled, resolved names before resolving.
    /// </summary>
    public bool TryGetKnownPlan(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolPlan? plan) =>
        _exact.TryGetValue(name, out plan) || _resolved.TryGetValue(name, out plan);

    /// <summary>
    /// The plan for a valid tool name that <see cref="TryGetKnownPlan"/> did not find: resolved through the hide
    /// patterns and globs, and cached up to <paramref name="cacheCapacity"/> names.
    /// </summary>
    public ToolPlan Resolve(string name, int cacheCapacity)
    {
        var plan = Build(name, exact: null); // a name no exact key matches: only the globs can

        // Past the cap, names are resolved on every call: slower for a flood of invented names, never unbounded.
        if (Volatile.Read(ref _resolvedCount) < cacheCapacity && _resolved.TryAdd(name, plan))
        {
            Interlocked.Increment(ref _resolvedCount);
        }

        return plan;
    }

    public bool IsHidden(string name) => Hidden(name) is not null;

    /// <summary>Runs only when a plan is built or a tool listing is filtered, never per evaluation.</summary>
    private DecisionOutcome? Hidden(string name)
    {
        foreach (var (pattern, glob, outcome) in _hide)
        {
            if (glob?.IsMatch(name) ?? string.Equals(pattern, name, StringComparison.Ordinal))
            {
                return outcome;
            }
        }

        return null;
    }

    private ToolPlan Build(string name, RuleBlock? exact)
    {
        if (Hidden(name) is { } hidden)
        {
            return new ToolPlan(hidden);
        }

        if (_globs.Length == 0)
        {
            // No glob to look through (the usual large policy): the plan is all_tools and the entry, if any.
            return exact is null ? _noMatchPlan : NewPlan(exact, _allTools is null ? [exact] : [_allTools, exact]);
        }

        var blocks = new List<RuleBlock>();
        if (_allTools is not null)
        {
            blocks.Add(_allTools);
        }

        RuleBlock? first = null;
        if (exact is not null)
        {
            blocks.Add(exact);
            first = exact;
        }

        foreach (var (glob, block) in _globs)
        {
            if (glob.IsMatch(name))
            {
                blocks.Add(block);
                first ??= block;
            }
        }

        if (first is null)
        {
            return _noMatchPlan;
        }

        return NewPlan(first, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks));
    }

    /// <summary>A plan allowed by the entry <paramref name="allowedBy"/>, or by default (null).</summary>
    private ToolPlan NewPlan(RuleBlock? allowedBy, ReadOnlySpan<RuleBlock> blocks)
    {
        int max = ArgNames.MaxIds(blocks);

        // Runs for every listed tool while a policy is built, and again for names resolved later (concurrently): no shared scratch.
        var ids = ArgNames.For(blocks, max <= 64 ? stackalloc int[max] : new int[max]);
        PolicyEngine.Arguments.WantedArgs? wanted;
        if (ids.Length == 0)
        {
            wanted = PolicyEngine.Arguments.WantedArgs.None;
        }
        else if (_sharedWanted is null)
        {
            wanted = new PolicyEngine.Arguments.WantedArgs(ArgNames.Take(_argNames, ids));
        }
        else if (!_sharedWanted.GetAlternateLookup<ReadOnlySpan<int>>().TryGetValue(ids, out wanted))
        {
            wanted = new PolicyEngine.Arguments.WantedArgs(ArgNames.Take(_argNames, ids));
            _sharedWanted.Add(ids.ToArray(), wanted);
        }

        return new ToolPlan(blocks, Limits, wanted, allowedBy, allowedBy is null ? _noMatch : null, _planStore);
    }
}
