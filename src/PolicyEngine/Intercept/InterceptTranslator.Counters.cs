using System.Globalization;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// Intercept's <c>state</c> counters as this engine's limits. Intercept reserves a rule's counter only when one of
/// the rule's conditions bounds it (<c>state.&lt;scope&gt;.&lt;counter&gt;</c> with <c>lt</c> or <c>lte</c>), and allows a
/// call when the counter plus the increment stays within that bound: a limit whose <c>max</c> is the bound,
/// counted store-wide in the calendar window. What has no exact limit (a condition on another counter, another
/// operator, a negative increment) is refused.
/// </summary>
internal sealed partial class InterceptTranslator
{
    /// <summary>Where a tool's rules are written, and the counters they have named (Intercept's duplicate check).</summary>
    private sealed class Target(int block, string scope)
    {
        public int Block { get; } = block;

        public string Scope { get; } = scope; // the tool's name, or "_global" for "*"

        public int DenyIf { get; set; } = -1;

        public int Limits { get; set; } = -1;

        public Dictionary<string, int> Counters { get; } = new(StringComparer.Ordinal);
    }

    private static bool IsStatePath(JNode condition) =>
        condition.Kind == JKind.Object && condition.Get("path") is { IsString: true } p && p.Text!.StartsWith("state.", StringComparison.Ordinal);

    private bool NewCounter(Target target, string counter, int index, JNode at)
    {
        if (target.Counters.TryGetValue(counter, out int previous))
        {
            _d.Add(at, ValidationMessages.InterceptDuplicateCounter(counter, previous));
            return false;
        }

        target.Counters[counter] = index;
        return true;
    }

    private void Limit(Target target, JNode at, decimal max, string window, string name, string onLimit, string? cost)
    {
        target.Limits = target.Limits < 0 ? _w.Array(target.Block, "limits", at) : target.Limits;
        int limit = _w.Object(target.Limits, null, at);
        _w.Number(limit, "max", max.ToString(CultureInfo.InvariantCulture), at);
        _w.String(limit, "window", window, at);
        _w.String(limit, "per", "global", at); // Intercept's counters are one per store, whatever the session
        if (cost is not null)
        {
            _w.String(limit, "cost", cost, at);
        }

        _w.String(limit, "name", name, at);
        _w.String(limit, "on_limit", onLimit, at);
    }

    /// <summary>Translates the rule's <c>state</c> block and its conditions on counters into a limit, if they bound one.</summary>
    private bool Counter(Target target, JNode rule, JNode conditions, string name, string? onDeny, int index)
    {
        var bounds = conditions.Items.Where(IsStatePath).ToList();
        if (rule.Get("state") is not { } state)
        {
            foreach (var c in bounds)
            {
                _d.Add(c.Get("path")!.Value, ValidationMessages.InterceptCounterUndefined);
            }

            return bounds.Count == 0;
        }

        if (state.Kind != JKind.Object || !InterceptShape.OnlyKeys(state, _d, "an Intercept state block", "counter", "window", "increment", "increment_from"))
        {
            _d.Add(state, ValidationMessages.InterceptState);
            return false;
        }

        string? counter = Text(state, "counter");
        string? window = Text(state, "window");
        if (string.IsNullOrEmpty(counter) || window is not ("minute" or "hour" or "day"))
        {
            _d.Add(state, ValidationMessages.InterceptStateFields);
            return false;
        }

        bool ok = NewCounter(target, counter, index, state);
        string? cost = null;
        decimal increment = 1;
        if (state.Get("increment_from") is { } from)
        {
            // Intercept reads a Go number there (a string is an internal error, a negative one refills): here a JSON number ≥ 0.
            ok &= from.IsString && from.Text!.StartsWith("args.", StringComparison.Ordinal);
            if (!ok)
            {
                _d.Add(from, ValidationMessages.InterceptIncrementFrom);
            }

            cost = from.IsString ? InterceptConditions.Path(from.Text!) : null;
        }
        else if (state.Get("increment") is { } inc)
        {
            // Go's zero value means the default, 1; a negative increment would refill the counter.
            if (inc.Kind != JKind.Number || !decimal.TryParse(inc.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out increment) || increment < 0)
            {
                _d.Add(inc, ValidationMessages.InterceptIncrement);
                return false;
            }

            increment = increment == 0 ? 1 : increment;
        }

        decimal? bound = null;
        string own = $"state.{target.Scope}.{counter}";
        foreach (var c in bounds)
        {
            var path = c.Get("path")!.Value;
            var op = c.Get("op");
            var value = c.Get("value");
            if (path.Text != own || op is not { IsString: true, Text: "lt" or "lte" } || value is not { Kind: JKind.Number } v
                || !decimal.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal n) || Math.Abs(n) > long.MaxValue)
            {
                _d.Add(c, ValidationMessages.InterceptCounterBound(own));
                ok = false;
                continue;
            }

            // Intercept's bound is the integer part, one less for lt; every bound must hold, so the smallest applies.
            decimal limit = decimal.Truncate(n) - (op.Value.Text == "lt" ? 1 : 0);
            bound = bound is { } b ? Math.Min(b, limit) : limit;
        }

        if (!ok || bound is not { } max)
        {
            return ok; // no bound: Intercept never reserves such a counter, so it limits nothing
        }

        max = cost is null ? decimal.Floor(max / increment) : max;
        if (max <= 0)
        {
            _d.Add(state, ValidationMessages.InterceptNoCallAllowed);
            return false;
        }

        Limit(target, state, max, window, name, onDeny ?? ValidationMessages.InterceptCounterExceeded(name), cost);
        return true;
    }
}
