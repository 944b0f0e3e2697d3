using System.Globalization;
using PolicyEngine.Document;
using PolicyEngine.Json;
using PolicyEngine.Limits;

namespace PolicyEngine.Compilation;

/// <summary>Validates and compiles limits (spec §4).</summary>
internal sealed class LimitCompiler(Diagnostics d, ConditionCompiler conditions)
{
    /// <summary>The largest <c>max</c> accepted; keeps every sum of spends exact in a decimal.</summary>
    public const decimal MaxMax = 1_000_000_000_000_000m;

    private static readonly string[] LimitKeys = ["max", "window", "per", "cost", "on_limit", "name"];
    private static readonly string CountIndeterminate = IndeterminateMessage(null);

    private readonly List<LimitDefinition> _all = [];
    private readonly Dictionary<long, string> _windows = []; // a document reuses few windows; each is described once

    public IReadOnlyList<LimitDefinition> All => _all;

    public LimitDefinition? Compile(JNode node)
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
            d.Add(costNode!.Value, "'cost' must be an args… or context.NAME path to a number.");
            cost = null;
        }

        decimal max = 0;
        bool ok = maxNode is { } m && TryMax(m, costNode is not null, out max);
        TimeSpan window = default;
        if (windowNode is { } w)
        {
            if (!Duration.TryParse(w, out window, out var error))
            {
                d.Add(w, error);
                ok = false;
            }
        }

        var (scope, scopePath, scopeOk) = Scope(node.Get("per"));
        string? onLimit = KeyCheck.OptionalString(node, "on_limit", d);
        string? name = KeyCheck.OptionalString(node, "name", d);
        if (!ok || !scopeOk || windowNode is null || (costNode is not null && cost is null))
        {
            return null;
        }

        string sentence = onLimit ?? $"Limit{(name is null ? "" : $" '{name}'")} reached: at most {Format(max)} {(cost is null ? "calls" : "spent")} per {DescribeOnce(window)}.";
        var limit = new LimitDefinition
        {
            Index = _all.Count,
            Pointer = node.Pointer,
            Max = max,
            Window = window,
            Scope = scope,
            ScopePath = scopePath,
            Cost = cost,
            Limited = new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.RateLimited, node.Pointer, sentence),
            Indeterminate = new DecisionOutcome(PolicyEffect.Deny, DecisionCodes.Indeterminate, node.Pointer,
                cost is null ? CountIndeterminate : IndeterminateMessage(cost.Text)),
        };
        _all.Add(limit);
        return limit;
    }

    private bool TryMax(JNode node, bool hasCost, out decimal max)
    {
        max = 0;
        if (node.Kind != JKind.Number || !ExactNumber.TryParseExact(node.Text!, out max))
        {
            d.Add(node, "'max' must be a number.");
            return false;
        }

        if (max <= 0 || max > MaxMax)
        {
            d.Add(node, $"'max' must be positive and at most {MaxMax}.");
            return false;
        }

        if (!hasCost && max != decimal.Truncate(max))
        {
            d.Add(node, "'max' of a count limit must be a whole number (a fractional max needs 'cost').");
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

        var path = conditions.CompilePath(per);
        if (path is null)
        {
            return (LimitScope.Session, null, false);
        }

        if (path.Root is PathRoot.Session or PathRoot.Tool)
        {
            d.Add(per, "'per' is \"session\", \"global\", a context.NAME path or an args… path.");
            return (LimitScope.Session, null, false);
        }

        return (LimitScope.Value, path, true);
    }

    private static string IndeterminateMessage(string? cost) =>
        $"The call's cost ({cost}) is missing or not a number ≥ 0, so the limit cannot be checked.";

    // A whole max (every count limit) prints as its integer: the same text, without the custom-format parser.
    private static string Format(decimal value) => value == decimal.Truncate(value) && Math.Abs(value) <= long.MaxValue
        ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("0.############################", CultureInfo.InvariantCulture);

    private string DescribeOnce(TimeSpan window)
    {
        if (!_windows.TryGetValue(window.Ticks, out var text))
        {
            _windows.Add(window.Ticks, text = Describe(window));
        }

        return text;
    }

    private static string Describe(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0 ? $"{window.TotalDays:0} day(s)"
        : window.Ticks % TimeSpan.TicksPerHour == 0 ? $"{window.TotalHours:0} hour(s)"
        : window.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{window.TotalMinutes:0} minute(s)"
        : $"{Format((decimal)window.Ticks / TimeSpan.TicksPerSecond)} second(s)";
}
