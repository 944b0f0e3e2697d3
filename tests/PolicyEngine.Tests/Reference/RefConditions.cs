using System.Text.Json;

namespace PolicyEngine.Tests.Reference;

/// <summary>Kleene truth values (spec §3).</summary>
public enum Tri
{
    /// <summary>False.</summary>
    False,
    /// <summary>True.</summary>
    True,
    /// <summary>Indeterminate.</summary>
    Indeterminate,
}

/// <summary>What a condition can read: the call, already validated.</summary>
internal sealed record RefCallView(string Tool, JsonElement Args, string Session, IReadOnlyDictionary<string, JsonElement> Context);

/// <summary>Paths and conditions of spec §3, interpreted straight from the policy's JSON on every call.</summary>
internal static class RefConditions
{
    public static Tri Evaluate(JsonElement cond, RefCallView call)
    {
        if (cond.TryGetProperty("all", out var all)) return All(all.EnumerateArray().Select(c => Evaluate(c, call)));
        if (cond.TryGetProperty("any", out var any)) return Any(any.EnumerateArray().Select(c => Evaluate(c, call)));
        if (cond.TryGetProperty("not", out var not)) return Not(Evaluate(not, call));
        var path = cond.GetProperty("path").GetString()!;
        var op = cond.GetProperty("op").GetString()!;
        var literal = cond.GetProperty("value");
        var ignoreCase = cond.TryGetProperty("ignore_case", out var ic) && ic.ValueKind == JsonValueKind.True;
        var present = TryResolve(path, call, out var value);
        if (op == "exists") return present == literal.GetBoolean() ? Tri.True : Tri.False;
        if (!present) return Tri.False;
        return op switch
        {
            "eq" => Equal(value, literal, ignoreCase),
            "neq" => Not(Equal(value, literal, ignoreCase)),
            "in" => In(value, literal.EnumerateArray(), ignoreCase),
            "not_in" => Not(In(value, literal.EnumerateArray(), ignoreCase)),
            "lt" => Order(value, literal, c => c < 0),
            "lte" => Order(value, literal, c => c <= 0),
            "gt" => Order(value, literal, c => c > 0),
            "gte" => Order(value, literal, c => c >= 0),
            "regex" => OnString(value, s => RefRegex.IsMatch(s, literal.GetString()!, ignoreCase)),
            "starts_with" => OnString(value, s => s.StartsWith(literal.GetString()!, Comparison(ignoreCase))),
            "ends_with" => OnString(value, s => s.EndsWith(literal.GetString()!, Comparison(ignoreCase))),
            "contains" => Contains(value, literal, ignoreCase),
            _ => throw new InvalidOperationException("Unknown operator " + op),
        };
    }

    public static Tri All(IEnumerable<Tri> items)
    {
        var result = Tri.True;
        foreach (var t in items)
        {
            if (t == Tri.False) return Tri.False;
            if (t == Tri.Indeterminate) result = Tri.Indeterminate;
        }

        return result;
    }

    private static Tri Any(IEnumerable<Tri> items)
    {
        var result = Tri.False;
        foreach (var t in items)
        {
            if (t == Tri.True) return Tri.True;
            if (t == Tri.Indeterminate) result = Tri.Indeterminate;
        }

        return result;
    }

    private static Tri Not(Tri t) => t switch { Tri.True => Tri.False, Tri.False => Tri.True, _ => Tri.Indeterminate };

    private static StringComparison Comparison(bool ignoreCase) => ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static Tri FromBool(bool b) => b ? Tri.True : Tri.False;

    private static Tri OnString(JsonElement value, Func<string, bool> test) => value.ValueKind switch
    {
        JsonValueKind.Null => Tri.False,
        JsonValueKind.String => FromBool(test(value.GetString()!)),
        _ => Tri.Indeterminate,
    };

    /// <summary>Equality of spec §3.3 (null on either side: equal iff both null).</summary>
    public static Tri Equal(JsonElement v, JsonElement l, bool ignoreCase)
    {
        if (v.ValueKind == JsonValueKind.Null || l.ValueKind == JsonValueKind.Null)
            return FromBool(v.ValueKind == l.ValueKind);
        if (v.ValueKind is JsonValueKind.Object or JsonValueKind.Array || l.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            return Tri.Indeterminate;
        if (v.ValueKind == JsonValueKind.Number || l.ValueKind == JsonValueKind.Number)
            return NumericText(v, out var a) && NumericText(l, out var b) ? NumberEqual(a, b) : Tri.Indeterminate;
        var vBool = AsBool(v, out var vb);
        var lBool = AsBool(l, out var lb);
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False || l.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return vBool && lBool ? FromBool(vb == lb) : Tri.Indeterminate;
        return FromBool(string.Equals(v.GetString(), l.GetString(), Comparison(ignoreCase)));
    }

    private static Tri NumberEqual(string a, string b) =>
        RefNumber.TryParse(a, out var x) && RefNumber.TryParse(b, out var y) ? FromBool(x == y) : Tri.Indeterminate;

    private static bool NumericText(JsonElement e, out string text)
    {
        text = e.ValueKind switch
        {
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.String => e.GetString()!,
            _ => "",
        };
        return RefNumber.IsJsonNumber(text);
    }

    private static bool AsBool(JsonElement e, out bool b)
    {
        b = e.ValueKind == JsonValueKind.True || (e.ValueKind == JsonValueKind.String && e.GetString() == "true");
        return e.ValueKind is JsonValueKind.True or JsonValueKind.False ||
               (e.ValueKind == JsonValueKind.String && e.GetString() is "true" or "false");
    }

    private static Tri In(JsonElement v, IEnumerable<JsonElement> items, bool ignoreCase) =>
        Any(items.Select(i => Equal(v, i, ignoreCase)));

    private static Tri Order(JsonElement v, JsonElement l, Func<int, bool> test)
    {
        if (v.ValueKind == JsonValueKind.Null) return Tri.False;
        if (!NumericText(v, out var text) || !RefNumber.TryParse(text, out var x) || !RefNumber.TryParse(l.GetRawText(), out var y))
            return Tri.Indeterminate;
        return FromBool(test(x.CompareTo(y)));
    }

    private static Tri Contains(JsonElement v, JsonElement l, bool ignoreCase) => v.ValueKind switch
    {
        JsonValueKind.Null => Tri.False,
        JsonValueKind.String => l.ValueKind == JsonValueKind.String
            ? FromBool(v.GetString()!.Contains(l.GetString()!, Comparison(ignoreCase)))
            : Tri.Indeterminate,
        JsonValueKind.Array => In(l, v.EnumerateArray(), ignoreCase),
        _ => Tri.Indeterminate,
    };

    /// <summary>A path's steps in one spelling ("n:" a name, "i:" an index), so <c>args.a</c> and <c>args["a"]</c> compare equal.</summary>
    public static IEnumerable<string> Segments(string path)
    {
        if (path.StartsWith("context.", StringComparison.Ordinal))
        {
            yield return "context";
            yield return "n:" + path["context.".Length..];
            yield break;
        }

        yield return "args";
        var i = 4;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[') end++;
                yield return "n:" + path[(i + 1)..end];
                i = end;
            }
            else if (path[i] == '[' && path[i + 1] == '"')
            {
                var end = i + 2;
                while (path[end] != '"') end += path[end] == '\\' ? 2 : 1;
                yield return "n:" + JsonSerializer.Deserialize<string>(path[(i + 1)..(end + 1)])!;
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                yield return "i:" + path[(i + 1)..end];
                i = end + 1;
            }
        }
    }

    /// <summary>Resolves a path (spec §3 "Paths"); false when it is missing.</summary>
    public static bool TryResolve(string path, RefCallView call, out JsonElement value)
    {
        value = default;
        if (path == "session") { value = JsonSerializer.SerializeToElement(call.Session); return true; }
        if (path == "tool") { value = JsonSerializer.SerializeToElement(call.Tool); return true; }
        if (path.StartsWith("context.", StringComparison.Ordinal))
            return call.Context.TryGetValue(path["context.".Length..], out value);
        if (!path.StartsWith("args", StringComparison.Ordinal)) throw new InvalidOperationException("Bad path " + path);
        var cur = call.Args;
        var i = 4;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[') end++;
                if (cur.ValueKind != JsonValueKind.Object || !cur.TryGetProperty(path[(i + 1)..end], out cur)) return false;
                i = end;
            }
            else if (path[i] == '[' && path[i + 1] == '"')
            {
                // ["any key"]: a JSON string literal; find its closing quote, skipping escapes.
                var end = i + 2;
                while (path[end] != '"') end += path[end] == '\\' ? 2 : 1;
                var key = JsonSerializer.Deserialize<string>(path[(i + 1)..(end + 1)])!;
                if (cur.ValueKind != JsonValueKind.Object || !cur.TryGetProperty(key, out cur)) return false;
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                var index = int.Parse(path[(i + 1)..end], System.Globalization.CultureInfo.InvariantCulture);
                if (cur.ValueKind != JsonValueKind.Array || index >= cur.GetArrayLength()) return false;
                cur = cur[index];
                i = end + 1;
            }
        }

        value = cur;
        return true;
    }
}
