using PolicyEngine.Document;
using PolicyEngine.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Compilation;

/// <summary>Validates and compiles limits (docs/policy-language.md#limits).</summary>
internal sealed class LimitCompiler(Diagnostics d, ConditionCompiler conditions)
{
    /// <summary>The largest <c>max</c> accepted; keeps every sum of spends exact in a decimal.</summary>
    public const decimal MaxMax = 1_000_000_000_000_000m;

    private static readonly string[] LimitKeys = ["max", "window", "per", "cost", "on_limit", "name"];

    private readonly List<LimitDefinition> _all = [];
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal); // limits so far per identity

    public IReadOnlyList<LimitDefinition> All => _all;

    /// <summary>The limits compiled from <paramref name="start"/> on, <paramref name="count"/> of them.</summary>
    public ReadOnlySpan<LimitDefinition> Range(int start, int count) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_all).Slice(start, count);

    /// <summary>Compiles the limit at <paramref name="node"/>: the <c>rate_limit</c> (<paramref name="slot"/> -1) or item <paramref name="slot"/> of <c>limits</c> of a block.</summary>
    public LimitDefinition? Compile(JNode node, string? toolKey, int slot)
    {
        if (!KeyCheck.IsObject(node, d, "A limit"))
        {
            return null;
        }

        KeyCheck.OnlyKeys(node, d, "a limit", LimitKeys);
        var maxNode = KeyCheck.Required(node, "max", d, "A limit");
        var windowNode = KeyCheck.Required(node, "window", d, "A limit");
        var costNode = node.Get("cost");
        var cost = costNode is { } c ? conditions.CompilePath(c) : null;
        if (cost is not null && cost.Root is PathRoot.Session or PathRoot.Tool)
        {
            d.Add(costNode!.Value, ValidationMessages.CostPath);
            cost = null;
        }

        decimal max = 0;
        bool ok = maxNode is { } m && TryMax(m, costNode is not null, out max);
        TimeSpan window = default;
        bool calendar = false;
        if (windowNode is { } w)
        {
            ok &= TryWindow(w, out window, out calendar);
        }

        var (scope, scopePath, scopeOk) = Scope(node.Get("per"));
        string? onLimit = KeyCheck.OptionalString(node, "on_limit", d);
        string? name = KeyCheck.OptionalString(node, "name", d);
        if (!ok || !scopeOk || windowNode is null || (costNode is not null && cost is null))
        {
            return null;
        }

        var limit = new LimitDefinition
        {
            Index = _all.Count,
            ToolKey = toolKey,
            Slot = slot,
            Max = max,
            Window = window,
            Calendar = calendar,
            Scope = scope,
            ScopePath = scopePath,
            Cost = cost,
            CostNumbersOnly = node.Tree.InterceptSemantics,
            OnLimit = onLimit,
            Name = name,
        };
        string identity = limit.Identity;
        limit.Occurrence = _occurrences.GetValueOrDefault(identity);
        _occurrences[identity] = limit.Occurrence + 1;
        _all.Add(limit);
        return limit;
    }

    /// <summary>A sliding window (a duration, docs/policy-language.md#approvals), or a calendar one: <c>"minute"</c>, <c>"hour"</c> or <c>"day"</c> of UTC.</summary>
    private bool TryWindow(JNode node, out TimeSpan window, out bool calendar)
    {
        calendar = node.Kind == JKind.String && CalendarUnit(node.Text!) is not null;
        if (calendar)
        {
            window = CalendarUnit(node.Text!)!.Value;
            return true;
        }

        if (Duration.TryParse(node, out window, out var error))
        {
            return true;
        }

        d.Add(node, node.Kind == JKind.String && !node.Text!.Any(char.IsAsciiDigit)
            ? ValidationMessages.Window(node.Text!)
            : error);
        return false;
    }

    private static TimeSpan? CalendarUnit(string text) => text switch
    {
        "minute" => TimeSpan.FromMinutes(1),
        "hour" => TimeSpan.FromHours(1),
        "day" => TimeSpan.FromDays(1),
        _ => null,
    };

    private bool TryMax(JNode node, bool hasCost, out decimal max)
    {
        max = 0;
        if (node.Kind != JKind.Number || !ExactNumber.TryParseExact(node.NumberUtf8, out max))
        {
            d.Add(node, ValidationMessages.MaxNumber);
            return false;
        }

        if (max <= 0 || max > MaxMax)
        {
            d.Add(node, ValidationMessages.MaxRange(MaxMax));
            return false;
        }

        if (!hasCost && max != decimal.Truncate(max))
        {
            d.Add(node, ValidationMessages.MaxWhole);
            return false;
        }

        return true;
    }

    private (LimitScope Scope, ValuePath? Path, bool Ok) Scope(JNode? found)
    {
        if (found is not { } per)
        {
            return (LimitScope.Session, null, true);
        }

        if (per.Kind == JKind.String && per.Text == "session")
        {
            return (LimitScope.Session, null, true);
        }

        if (per.Kind == JKind.String && per.Text == "global")
        {
            return (LimitScope.Global, null, true);
        }

        // Checked here first so that a bad value gets the message about 'per', which names what it may be, rather
        // than the general one about paths, which does not mention "global".
        if (per.Kind != JKind.String || !PathParser.TryParse(per.Text!, out var parsed, out _) || parsed!.Root is PathRoot.Session or PathRoot.Tool)
        {
            var value = per.Kind == JKind.String ? $"'{per.Text}'" : per.Describe();
            d.Add(per, ValidationMessages.Per(value));
            return (LimitScope.Session, null, false);
        }

        var path = conditions.CompilePath(per);
        if (path is null)
        {
            return (LimitScope.Session, null, false);
        }

        return (LimitScope.Value, path, true);
    }
}
