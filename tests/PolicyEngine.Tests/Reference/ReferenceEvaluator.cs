using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.Tests.Reference;

/// <summary>
/// A deliberately naive evaluator of policy language "1", written from the spec (§1–§7) and nothing else.
/// It re-reads the policy's JSON on every call: no compilation, no caching, no clever data structures.
/// Limits are lists of (time, amount); approvals are two dictionaries. Times are exact decimal seconds.
/// It assumes the policy is valid: the engine's validator is tested elsewhere.
/// </summary>
public sealed class ReferenceEvaluator
{
    private static readonly JsonDocumentOptions DocOptions = new() { MaxDepth = 1024 };
    private readonly Dictionary<string, List<(decimal At, decimal Amount)>> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (decimal Expires, string Session, long Order)> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _granted = new(StringComparer.Ordinal);
    private readonly int _maxPending;
    private readonly int _maxPerSession;
    private readonly RefCounterCap _counterCap;
    private long _order;
    private string _policyText;

    /// <summary>
    /// Starts with a valid policy document. The caps are the host's (not the spec's): at most <paramref name="maxPending"/>
    /// live requests and as many live grants, and <paramref name="maxPerSession"/> live requests per session, whose oldest
    /// goes to make room; a request over the total cap gets its id but is not recorded, an approval over it fails. At most
    /// <paramref name="maxTrackedCounters"/> limit counters exist (<see cref="RefCounterCap"/>).
    /// </summary>
    public ReferenceEvaluator(string policyText, int maxPending = int.MaxValue, int maxPerSession = int.MaxValue, int maxTrackedCounters = int.MaxValue)
    {
        _policyText = policyText;
        _maxPending = maxPending;
        _maxPerSession = maxPerSession;
        _counterCap = new RefCounterCap(maxTrackedCounters, (unit, at) => CalendarUnit(unit, at).Start);
    }

    /// <summary>Records (or, while it is live, refreshes in its place) a request, within the caps.</summary>
    private void Ask(string key, string session, decimal at, decimal expires)
    {
        if (_pending.TryGetValue(key, out var asked) && at < asked.Expires)
        {
            _pending[key] = asked with { Expires = expires };
            return;
        }

        _pending.Remove(key);
        var ofSession = _pending.Where(p => p.Value.Session == session && at < p.Value.Expires).OrderBy(p => p.Value.Order).Select(p => p.Key).ToList();
        bool sessionFull = ofSession.Count >= _maxPerSession;
        if (!sessionFull && _pending.Count(p => at < p.Value.Expires) >= _maxPending) return;
        for (int i = 0; ofSession.Count - i >= _maxPerSession; i++) _pending.Remove(ofSession[i]);
        _pending[key] = (expires, session, ++_order);
    }

    /// <summary>
    /// Puts a new valid policy in force (§7 Reload): a limit keeps its counters when its block, window, per and
    /// cost are unchanged, wherever it stands in the block, limits of one identity matched in order; max is not
    /// part of the identity. Pending requests and grants of a policy that is no longer in force are dropped.
    /// </summary>
    public void Reload(string policyText)
    {
        using (var old = JsonDocument.Parse(_policyText))
        using (var next = JsonDocument.Parse(policyText))
        {
            if (RefCanonicalJson.Write(old.RootElement, exactNumbers: true) != RefCanonicalJson.Write(next.RootElement, exactNumbers: true))
            {
                _pending.Clear();
                _granted.Clear();
            }
        }

        _policyText = policyText;
        using var doc = JsonDocument.Parse(policyText);
        var keep = Identities(doc.RootElement).Values.ToHashSet();
        bool Dropped(string counter) => !keep.Contains(counter[..counter.IndexOf('\u0001', StringComparison.Ordinal)]);
        foreach (var key in _counters.Keys.Where(Dropped).ToList())
            _counters.Remove(key);
        _counterCap.Drop(Dropped);
    }

    /// <summary>Every limit's identity by its pointer: block, window in seconds, per, cost, and its rank among equal ones in the block.</summary>
    private static Dictionary<string, string> Identities(JsonElement root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in Blocks(root, includeAllTools: true))
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (pointer, limit) in Limits(block))
            {
                var per = limit.TryGetProperty("per", out var p) ? p.GetString()! : "session";
                var cost = limit.TryGetProperty("cost", out var c) ? c.GetString()! : "";
                var w = limit.GetProperty("window");
                var window = IsCalendar(w) ? "calendar " + w.GetString() : Seconds(w).ToString(CultureInfo.InvariantCulture);
                var basis = string.Join('|', block.Pointer, window, RefPathText(per), RefPathText(cost));
                seen[basis] = seen.TryGetValue(basis, out var n) ? n + 1 : 0;
                result[pointer] = basis + "#" + seen[basis].ToString(CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    /// <summary>A path in one spelling: <c>args.a</c> and <c>args["a"]</c> name the same value.</summary>
    private static string RefPathText(string path) =>
        path is "" or "session" or "global" ? path : string.Join('/', RefConditions.Segments(path));

    /// <summary>Approves the approval id <paramref name="call"/> would get (§5); false when it is not pending.</summary>
    public bool Approve(RefCall call, decimal at)
    {
        using var doc = JsonDocument.Parse(_policyText);
        if (Validate(call) is not { } view) return false;
        var key = ApprovalKey(doc.RootElement, view);
        if (!_pending.TryGetValue(key, out var asked) || at >= asked.Expires) return false;
        if (_granted.Count(g => at < g.Value) >= _maxPending) return false; // no room for a grant: it stays pending
        _pending.Remove(key);
        _granted[key] = at + Ttl(doc.RootElement);
        return true;
    }

    /// <summary>Decides a call at time <paramref name="at"/> (seconds), updating limits and approvals as §4, §5 say.</summary>
    public RefDecision Evaluate(RefCall call, decimal at)
    {
        using var doc = JsonDocument.Parse(_policyText);
        var root = doc.RootElement;
        var computed = Compute(root, call, at, out var commit);
        var shadow = root.TryGetProperty("mode", out var m) && m.GetString() == "shadow";
        if (computed.Outcome.Effect == "allow") commit?.Invoke();
        return shadow ? new RefDecision(new RefOutcome("allow", "shadow", null, null), null, computed.Outcome) : computed;
    }

    private RefDecision Compute(JsonElement root, RefCall call, decimal at, out Action? commitIfAllowed)
    {
        commitIfAllowed = null;
        if (Validate(call) is not { } view) return Deny("invalid_call", null, null);

        if (root.TryGetProperty("hide", out var hide))
        {
            var i = 0;
            foreach (var pattern in hide.EnumerateArray())
            {
                if (GlobMatches(pattern.GetString()!, view.Tool)) return Deny("hidden", "/hide/" + i, null);
                i++;
            }
        }

        var blocks = Blocks(root, includeAllTools: true, view.Tool);
        var entryMatched = blocks.Any(b => b.Pointer != "/all_tools");
        if (!entryMatched && root.GetProperty("default").GetString() == "deny") return Deny("default_deny", "/default", null);

        // Step 4: rules that deny, block by block.
        (string Rule, string? Message)? approval = null;
        foreach (var (ptr, block) in blocks)
        {
            if (block.TryGetProperty("pin", out var pin))
            {
                var actual = view.DefinitionJson is null ? null : RefCanonicalJson.Pin(JsonDocument.Parse(view.DefinitionJson).RootElement);
                if (!string.Equals(actual, pin.GetString(), StringComparison.Ordinal)) return Deny("definition_changed", ptr + "/pin", null);
            }

            if (block.TryGetProperty("action", out var action))
            {
                var reason = Text(block, "reason");
                if (action.GetString() == "deny") return Deny("denied", ptr + "/action", reason);
                if (action.GetString() == "require_approval") approval ??= (ptr + "/action", reason);
            }

            var i = 0;
            foreach (var item in Items(block, "require"))
            {
                var cond = item.ValueKind == JsonValueKind.String
                    ? JsonSerializer.SerializeToElement(new { path = item.GetString(), op = "exists", value = true })
                    : item;
                var r = RefConditions.Evaluate(cond, view.View);
                var onFail = item.ValueKind == JsonValueKind.Object ? Text(item, "on_fail") : null;
                if (r == Tri.False) return Deny("requirement_failed", $"{ptr}/require/{i}", onFail);
                if (r == Tri.Indeterminate) return Deny("indeterminate", $"{ptr}/require/{i}", null);
                i++;
            }

            i = 0;
            foreach (var entry in Items(block, "deny_if"))
            {
                var r = Conditions(entry, view.View);
                if (r == Tri.True) return Deny("denied", $"{ptr}/deny_if/{i}", Text(entry, "on_deny"));
                if (r == Tri.Indeterminate) return Deny("indeterminate", $"{ptr}/deny_if/{i}", null);
                i++;
            }

            i = 0;
            foreach (var entry in Items(block, "approve_if"))
            {
                var r = Conditions(entry, view.View);
                if (r == Tri.Indeterminate) return Deny("indeterminate", $"{ptr}/approve_if/{i}", null);
                if (r == Tri.True) approval ??= ($"{ptr}/approve_if/{i}", Text(entry, "reason"));
                i++;
            }
        }

        // Step 5: approval.
        string? approvalToSpend = null;
        if (approval is { } asked)
        {
            var key = ApprovalKey(root, view);
            if (_granted.TryGetValue(key, out var until) && at < until)
            {
                approvalToSpend = key;
            }
            else
            {
                _granted.Remove(key);
                Ask(key, view.View.Session, at, at + Ttl(root));
                return new RefDecision(new RefOutcome("require_approval", "approval_required", asked.Rule, asked.Message));
            }
        }

        // Step 6: limits. Costs first (an ill-typed cost decides), then room in every limit.
        var limits = blocks.SelectMany(b => Limits(b)).ToList();
        var identities = Identities(root);
        var spends = new List<(string Counter, decimal Cost)>();
        foreach (var (lptr, limit) in limits)
        {
            if (Cost(limit, view.View) is not { } cost) return Deny("indeterminate", lptr, null);
            spends.Add((identities[lptr] + '\u0001' + Scope(limit, view), cost));
        }

        string? firstFull = null;
        string? fullMessage = null;
        decimal? longestWait = 0;
        for (var k = 0; k < limits.Count; k++)
        {
            var (lptr, limit) = limits[k];
            var max = Num(limit.GetProperty("max"));
            var w = limit.GetProperty("window");
            var calendar = IsCalendar(w);
            var window = calendar ? 0m : Seconds(w);
            var (unitStart, unitEnd) = calendar ? CalendarUnit(w.GetString()!, at) : (0m, 0m);
            var cost = spends[k].Cost;
            var inWindow = Entries(spends[k].Counter).Where(e => calendar ? e.At >= unitStart : e.At > at - window).OrderBy(e => e.At).ToList();
            var used = inWindow.Sum(e => e.Amount);
            if (used + cost <= max) continue;
            if (firstFull is null)
            {
                firstFull = lptr;
                fullMessage = Text(limit, "on_limit");
            }
            if (cost > max) { longestWait = null; continue; }
            foreach (var e in inWindow)
            {
                used -= e.Amount;
                if (used + cost > max) continue;
                if (longestWait is { } lw) longestWait = Math.Max(lw, (calendar ? unitEnd : e.At + window) - at);
                break;
            }
        }

        if (firstFull is not null)
            return new RefDecision(new RefOutcome("deny", "rate_limited", firstFull, fullMessage), longestWait);

        // Every limit has room: the counters this call spends in must exist, or be made under the host's cap.
        if (!_counterCap.CanMake(spends, at)) return Deny("capacity_exceeded", null, null);

        commitIfAllowed = () =>
        {
            for (var k = 0; k < limits.Count; k++)
            {
                var w = limits[k].Limit.GetProperty("window");
                _counterCap.Spent(spends[k].Counter, spends[k].Cost, at, IsCalendar(w) ? 0m : Seconds(w), IsCalendar(w) ? w.GetString() : null);
            }

            foreach (var (counter, cost) in spends) Entries(counter).Add((at, cost));
            if (approvalToSpend is not null) _granted.Remove(approvalToSpend);
        };
        var allowedBy = blocks.FirstOrDefault(b => b.Pointer != "/all_tools").Pointer;
        return allowedBy is null
            ? new RefDecision(new RefOutcome("allow", "default_allow", "/default", null))
            : new RefDecision(new RefOutcome("allow", "allowed", allowedBy, null));
    }

    private List<(decimal At, decimal Amount)> Entries(string counter) =>
        _counters.TryGetValue(counter, out var list) ? list : _counters[counter] = [];

    private static RefDecision Deny(string code, string? rule, string? message) => new(new RefOutcome("deny", code, rule, message));

    private static string? Text(JsonElement obj, string key) => obj.TryGetProperty(key, out var v) ? v.GetString() : null;

    private static IEnumerable<JsonElement> Items(JsonElement block, string key) =>
        block.TryGetProperty(key, out var arr) ? arr.EnumerateArray() : [];

    private static Tri Conditions(JsonElement entry, RefCallView view) =>
        RefConditions.All(entry.GetProperty("conditions").EnumerateArray().Select(c => RefConditions.Evaluate(c, view)));

    /// <summary>The rule blocks in §7 order: all_tools, the exact entry, then matching globs in document order.</summary>
    private static List<(string Pointer, JsonElement Block)> Blocks(JsonElement root, bool includeAllTools, string? tool = null)
    {
        var result = new List<(string, JsonElement)>();
        if (includeAllTools && root.TryGetProperty("all_tools", out var all)) result.Add(("/all_tools", all));
        if (!root.TryGetProperty("tools", out var tools)) return result;
        var entries = tools.EnumerateObject().ToList();
        if (tool is null)
        {
            result.AddRange(entries.Select(e => ("/tools/" + Escape(e.Name), e.Value)));
            return result;
        }

        result.AddRange(entries.Where(e => !e.Name.Contains('*', StringComparison.Ordinal) && e.Name == tool).Select(e => ("/tools/" + Escape(e.Name), e.Value)));
        result.AddRange(entries.Where(e => e.Name.Contains('*', StringComparison.Ordinal) && GlobMatches(e.Name, tool)).Select(e => ("/tools/" + Escape(e.Name), e.Value)));
        return result;
    }

    private static IEnumerable<(string Pointer, JsonElement Limit)> Limits((string Pointer, JsonElement Block) b)
    {
        if (b.Block.TryGetProperty("rate_limit", out var one)) yield return (b.Pointer + "/rate_limit", one);
        var i = 0;
        foreach (var l in Items(b.Block, "limits")) yield return ($"{b.Pointer}/limits/{i++}", l);
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Glob of §1: <c>*</c> matches any run of characters; everything else literally.</summary>
    public static bool GlobMatches(string pattern, string name)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal)) return pattern == name;
        var parts = pattern.Split('*');
        if (!name.StartsWith(parts[0], StringComparison.Ordinal)) return false;
        var pos = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = name.IndexOf(parts[i], pos, StringComparison.Ordinal);
            if (found < 0) return false;
            pos = found + parts[i].Length;
        }

        var last = parts[^1];
        return name.Length - pos >= last.Length && name.EndsWith(last, StringComparison.Ordinal);
    }

    private static string Scope(JsonElement limit, ValidCall view)
    {
        var per = limit.TryGetProperty("per", out var p) ? p.GetString()! : "session";
        if (per == "global") return "";
        if (per == "session") return "s:" + view.View.Session;
        return RefConditions.TryResolve(per, view.View, out var v) ? "v:" + RefCanonicalJson.Write(v) : "missing";
    }

    private static decimal? Cost(JsonElement limit, RefCallView view)
    {
        if (!limit.TryGetProperty("cost", out var path)) return 1m;
        if (!RefConditions.TryResolve(path.GetString()!, view, out var v)) return null;
        var text = v.ValueKind switch { JsonValueKind.Number => v.GetRawText(), JsonValueKind.String => v.GetString()!, _ => "" };
        if (!RefNumber.TryParse(text, out var n) || !n.TryToDecimal(out var d) || d < 0) return null;
        return d;
    }

    private static decimal Num(JsonElement e) =>
        RefNumber.TryParse(e.GetRawText(), out var n) && n.TryToDecimal(out var d) ? d : throw new InvalidOperationException("Bad number " + e);

    /// <summary>Step times count seconds from this UTC midnight (the virtual clock of §9).</summary>
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static bool IsCalendar(JsonElement window) => window.ValueKind == JsonValueKind.String && window.GetString() is "minute" or "hour" or "day";

    /// <summary>§4 calendar window: the UTC minute, hour or day holding <paramref name="at"/>, as [start, end) in step seconds, from the calendar.</summary>
    private static (decimal Start, decimal End) CalendarUnit(string unit, decimal at)
    {
        var t = Epoch.AddTicks((long)decimal.Floor(at * TimeSpan.TicksPerSecond)).UtcDateTime;
        var start = unit switch
        {
            "minute" => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc),
            "hour" => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc),
        };
        var end = unit switch { "minute" => start.AddMinutes(1), "hour" => start.AddHours(1), _ => start.AddDays(1) };
        decimal Since(DateTime d) => (decimal)(d - Epoch.UtcDateTime).Ticks / TimeSpan.TicksPerSecond;
        return (Since(start), Since(end));
    }

    /// <summary>Durations of §5 in exact seconds.</summary>
    public static decimal Seconds(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number) return Num(e);
        var s = e.GetString()!;
        var (digits, unit) = s.EndsWith("ms", StringComparison.Ordinal) ? (s[..^2], 0.001m)
            : (s[..^1], s[^1] switch { 's' => 1m, 'm' => 60m, 'h' => 3600m, 'd' => 86400m, _ => throw new InvalidOperationException(s) });
        return decimal.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * unit;
    }

    private static decimal Ttl(JsonElement root) => root.TryGetProperty("approval_ttl", out var t) ? Seconds(t) : 900m;

    private static string ApprovalKey(JsonElement root, ValidCall view) =>
        string.Join('\u0001', RefCanonicalJson.Write(root), view.View.Session, view.Tool, RefCanonicalJson.Write(view.View.Args, exactNumbers: true));

    private sealed record ValidCall(string Tool, RefCallView View, string? DefinitionJson);

    /// <summary>Step 1 of §7; null when the call is invalid.</summary>
    private static ValidCall? Validate(RefCall call)
    {
        if (call.Tool.Length is < 1 or > 128 || !call.Tool.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')) return null;
        JsonElement args;
        try
        {
            args = JsonDocument.Parse(call.ArgumentsJson ?? "{}", DocOptions).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }

        if (args.ValueKind != JsonValueKind.Object || !WellFormed(args, 1)) return null;
        var context = (call.Context ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => JsonDocument.Parse(p.Value).RootElement, StringComparer.Ordinal);
        return new ValidCall(call.Tool, new RefCallView(call.Tool, args, call.Session ?? "", context), call.DefinitionJson);
    }

    private static bool WellFormed(JsonElement e, int depth)
    {
        if (e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return true;
        if (depth > 64) return false;
        if (e.ValueKind == JsonValueKind.Array) return e.EnumerateArray().All(x => WellFormed(x, depth + 1));
        // No two names of one object equal ignoring case (an exact repeat included), compared pair by pair.
        var names = e.EnumerateObject().Select(p => p.Name).ToList();
        for (var i = 0; i < names.Count; i++)
            for (var j = 0; j < i; j++)
                if (string.Compare(names[i], names[j], StringComparison.OrdinalIgnoreCase) == 0) return false;
        return e.EnumerateObject().All(p => WellFormed(p.Value, depth + 1));
    }
}
