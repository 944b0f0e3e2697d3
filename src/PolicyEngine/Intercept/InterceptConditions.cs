using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// Translates Intercept conditions into this engine's conditions that hold only where Intercept's hold (the same
/// or stricter, never more permissive). Intercept compares a string with a number through Go's %v text, so
/// <c>"5"</c> eq <c>5</c> holds there and <c>"5.0"</c> eq <c>5</c> does not; <c>exists</c> is false on null; its
/// ordering operators take JSON numbers only (the translated tree says so: <see cref="JTree.InterceptSemantics"/>).
/// </summary>
internal sealed partial class InterceptConditions(TreeWriter w, Diagnostics d)
{
    private const string IsString = @"\A"; // a regex is indeterminate on anything but a string: "the value is a string"

    /// <summary>Writes <paramref name="cond"/> translated as an item of the array <paramref name="parent"/>; false on an error.</summary>
    public bool Write(int parent, JNode cond)
    {
        if (cond.Kind != JKind.Object)
        {
            d.Add(cond, ValidationMessages.InterceptCondition(cond));
            return false;
        }

        bool ok = InterceptShape.OnlyKeys(cond, d, "an Intercept condition", "path", "op", "value");
        var pathNode = Need(cond, "path");
        var opNode = Need(cond, "op");
        var value = Need(cond, "value");
        if (!ok || pathNode is not { } p || opNode is not { } o || value is not { } v)
        {
            return false;
        }

        if (!p.IsString || !p.Text!.StartsWith("args.", StringComparison.Ordinal))
        {
            d.Add(p, ValidationMessages.InterceptPath);
            return false;
        }

        string path = Path(p.Text!);
        switch (o.IsString ? o.Text : null)
        {
            case "eq":
                return Eq(parent, path, v);
            case "neq":
                return Neq(parent, path, v);
            case "in" or "not_in":
                return List(parent, path, v, o.Text == "in");
            case "lt" or "lte" or "gt" or "gte":
                // Compiled with Intercept's semantics: a JSON number only, compared exactly and as a double.
                w.Leaf(parent, path, o.Text!, cond, leaf => w.Copy(leaf, "value", v));
                return true;
            case "regex":
                return Regex(parent, path, v);
            case "contains":
                return Contains(parent, path, v);
            case "exists":
                return Exists(parent, path, v);
            default:
                d.Add(o, ValidationMessages.InterceptOperator);
                return false;
        }
    }

    /// <summary>Intercept's <c>args.a.b</c> (each dot one object level) as this engine's path.</summary>
    public static string Path(string intercept)
    {
        var path = new System.Text.StringBuilder("args");
        foreach (string segment in intercept["args.".Length..].Split('.'))
        {
            path.Append(Identifier().IsMatch(segment) ? "." + segment : "[\"" + JsonEncodedText.Encode(segment).ToString() + "\"]");
        }

        return path.ToString();
    }

    private JNode? Need(JNode cond, string key)
    {
        var node = cond.Get(key);
        if (node is null)
        {
            d.Add(cond, ValidationMessages.InterceptConditionNeeds(key));
        }

        return node;
    }

    private bool Eq(int parent, string path, JNode v)
    {
        switch (v.Kind)
        {
            case JKind.String when JsonNumber().IsMatch(v.Text!) && GoText.OfFloat(v.Text!) != v.Text:
                // A number argument never prints as this text in Go: only the same string is equal.
                w.Leaf(parent, path, "regex", v, leaf => w.String(leaf, "value", @"\A" + System.Text.RegularExpressions.Regex.Escape(v.Text!) + @"\z", v));
                return true;
            case JKind.String or JKind.True or JKind.False or JKind.Null:
                w.Leaf(parent, path, "eq", v, leaf => w.Copy(leaf, "value", v));
                return true;
            case JKind.Number when GoText.Of(v.Text!) is { } text:
                // Equal there: a number equal as a double, or the string Go prints for this number.
                w.Leaf(parent, path, "eq", v, leaf => w.String(leaf, "value", text, v));
                return true;
            default:
                d.Add(v, ValidationMessages.InterceptGoText(v));
                return false;
        }
    }

    private bool Neq(int parent, string path, JNode v)
    {
        switch (v.Kind)
        {
            case JKind.True or JKind.False:
                w.Leaf(parent, path, "neq", v, leaf => w.Copy(leaf, "value", v));
                return true;
            case JKind.Null or JKind.String when v.Kind == JKind.Null || v.Text == "<nil>":
                // Go prints null as "<nil>": neither is different from null there.
                int all = Combinator(parent, "all", v);
                w.Leaf(all, path, "neq", v, leaf => w.Copy(leaf, "value", v));
                w.Leaf(all, path, "neq", v, leaf => w.String(leaf, "value", "<nil>", v));
                return true;
            case JKind.String when !JsonNumber().IsMatch(v.Text!):
                w.Leaf(parent, path, "neq", v, leaf => w.Copy(leaf, "value", v));
                return true;
            case JKind.String or JKind.Number:
                // Different there: a string with other text, or a number different as a double (both orderings
                // compare as doubles too under Intercept semantics, so a number that rounds to it is not different).
                int any = Combinator(parent, "any", v);
                string? text = v.Kind == JKind.String ? v.Text : GoText.Of(v.Text!);
                if (text is not null)
                {
                    int strings = Combinator(any, "all", v);
                    w.Leaf(strings, path, "regex", v, leaf => w.String(leaf, "value", IsString, v));
                    w.Leaf(strings, path, "neq", v, leaf => w.String(leaf, "value", text, v));
                }

                w.Leaf(any, path, "lt", v, leaf => w.Number(leaf, "value", v.Text!, v));
                w.Leaf(any, path, "gt", v, leaf => w.Number(leaf, "value", v.Text!, v));
                return true;
            default:
                d.Add(v, ValidationMessages.InterceptGoText(v));
                return false;
        }
    }

    private bool List(int parent, string path, JNode v, bool isIn)
    {
        if (v.Kind != JKind.Array)
        {
            d.Add(v, ValidationMessages.InterceptList(isIn ? "in" : "not_in"));
            return false;
        }

        int list = Combinator(parent, isIn ? "any" : "all", v);
        bool ok = true;
        foreach (var item in v.Items)
        {
            ok &= isIn ? Eq(list, path, item) : Neq(list, path, item);
        }

        return ok;
    }

    private bool Regex(int parent, string path, JNode v)
    {
        if (!v.IsString)
        {
            d.Add(v, ValidationMessages.InterceptRegex);
            return false;
        }

        if (Re2Pattern.Translate(v.Text!, out string error) is not { } pattern)
        {
            d.Add(v, ValidationMessages.InterceptRe2(error));
            return false;
        }

        w.Leaf(parent, path, "regex", v, leaf => w.String(leaf, "value", pattern, v));
        return true;
    }

    private bool Contains(int parent, string path, JNode v)
    {
        if (!v.IsString || (JsonNumber().IsMatch(v.Text!) && GoText.OfFloat(v.Text!) != v.Text))
        {
            d.Add(v, ValidationMessages.InterceptContains);
            return false;
        }

        w.Leaf(parent, path, "contains", v, leaf => w.Copy(leaf, "value", v));
        return true;
    }

    private bool Exists(int parent, string path, JNode v)
    {
        if (!v.IsBool)
        {
            d.Add(v, ValidationMessages.InterceptExists);
            return false;
        }

        // Intercept: present and not null.
        bool present = v.Kind == JKind.True;
        int join = Combinator(parent, present ? "all" : "any", v);
        w.Leaf(join, path, "exists", v, leaf => w.Copy(leaf, "value", v));
        w.Leaf(join, path, present ? "neq" : "eq", v, leaf => w.Null(leaf, "value", v));
        return true;
    }

    /// <summary><c>{all|any: […]}</c> as an item of <paramref name="parent"/>; returns the array.</summary>
    public int Combinator(int parent, string kind, JNode origin) => w.Array(w.Object(parent, null, origin), kind, origin);

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial System.Text.RegularExpressions.Regex Identifier();

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z")]
    private static partial System.Text.RegularExpressions.Regex JsonNumber();
}
