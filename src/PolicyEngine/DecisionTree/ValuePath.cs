using System.Text;
using System.Text.Json;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>A compiled path (docs/policy-language.md#conditions): <c>args…</c>, <c>context.NAME…</c>, <c>session</c> or <c>tool</c>.</summary>
internal sealed class ValuePath
{
    public ValuePath(string text, PathRoot root, string? contextName, PathSegment[] segments)
    {
        Text = text;
        Root = root;
        ContextName = contextName;
        Segments = segments;
    }

    public string Text { get; }

    /// <summary>
    /// One spelling for every way to write the same path: <c>args.a[0]</c> and <c>args["a"][0]</c> are both
    /// <c>args["a"][0]</c>. Names are written as JSON strings, so no name can be mistaken for another.
    /// </summary>
    public string CanonicalText
    {
        get
        {
            var sb = new StringBuilder(Root switch
            {
                PathRoot.Args => "args",
                PathRoot.Context => "context",
                PathRoot.Session => "session",
                _ => "tool",
            });
            if (ContextName is not null)
            {
                sb.Append('[');
                Json.CanonicalJson.WriteString(sb, ContextName);
                sb.Append(']');
            }

            foreach (var segment in Segments)
            {
                sb.Append('[');
                if (segment.Name is null)
                {
                    sb.Append(segment.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    Json.CanonicalJson.WriteString(sb, segment.Name);
                }

                sb.Append(']');
            }

            return sb.ToString();
        }
    }

    public PathRoot Root { get; }

    public string? ContextName { get; }

    public PathSegment[] Segments { get; }

    /// <summary>The top-level argument name an <c>args.NAME…</c> path starts with, if it does.</summary>
    public string? FirstArgName => Root == PathRoot.Args && Segments.Length > 0 ? Segments[0].Name : null;

    /// <summary>
    /// The policy-wide id of <see cref="FirstArgName"/>, or -1. Set once by <see cref="ArgNames"/> while the
    /// policy is built, before any evaluation can read it.
    /// </summary>
    public int ArgNameId { get; set; } = -1;

    /// <summary>Finds the value the path names in a call, without copying anything.</summary>
    public ArgValue Resolve(in PolicyEngine.Arguments.EvalContext ctx)
    {
        ref readonly ToolCall call = ref ctx.Call;
        switch (Root)
        {
            case PathRoot.Session:
                return ArgValue.FromText(call.SessionId ?? "");
            case PathRoot.Tool:
                return ArgValue.FromText(call.Tool);
            case PathRoot.Context:
                return call.Context is { } context && context.TryGetValue(ContextName!, out var c)
                    ? Walk(c, 0)
                    : ArgValue.Missing;
            default:
                if (call.ArgumentsDictionary is { } dict)
                {
                    if (Segments.Length == 0)
                    {
                        return ArgValue.OpaqueObject;
                    }

                    var first = Segments[0];
                    return first.Name is not null && dict.TryGetValue(first.Name, out var v) ? Walk(v, 1) : ArgValue.Missing;
                }

                // The validator's pass usually found the first step already: no scan of the arguments here.
                if (ArgNameId >= 0 && ctx.TryGetFound(ArgNameId, out var found))
                {
                    return found.Kind == JsonValueKind.Undefined ? ArgValue.Missing
                        : Segments.Length == 1 ? ArgValue.FromJson(found.Element, found.Kind, ctx.ArgumentsUnescaped) : Walk(found.Element, 1);
                }

                if (call.Arguments.ValueKind == JsonValueKind.Undefined)
                {
                    return Segments.Length == 0 ? ArgValue.OpaqueObject : ArgValue.Missing;
                }

                return Walk(call.Arguments, 0);
        }
    }

    private ArgValue Walk(JsonElement current, int from)
    {
        for (int i = from; i < Segments.Length; i++)
        {
            var segment = Segments[i];
            if (segment.Utf8Name is { } name)
            {
                if (current.ValueKind != JsonValueKind.Object || !Lookup(current, segment, out current))
                {
                    return ArgValue.Missing;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength())
            {
                return ArgValue.Missing;
            }
            else
            {
                current = current[segment.Index];
            }
        }

        return ArgValue.FromJson(current);
    }

    /// <summary>The runtime's lookup, which is fast; it throws only when some name in the object is a lone surrogate escape.</summary>
    private static bool Lookup(JsonElement obj, PathSegment segment, out JsonElement value)
    {
        try
        {
            return obj.TryGetProperty(segment.Utf8Name, out value);
        }
        catch (InvalidOperationException)
        {
            return TryGetProperty(obj, segment, out value);
        }
    }

    /// <summary>
    /// Finds a property by comparing raw names, decoding only escaped ones. <see cref="JsonElement.TryGetProperty(ReadOnlySpan{byte}, out JsonElement)"/>
    /// unescapes names as it scans and throws on a lone surrogate escape in any of them; duplicates were rejected already.
    /// </summary>
    private static bool TryGetProperty(JsonElement obj, PathSegment segment, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property);
            bool match = raw.IndexOf((byte)'\\') < 0
                ? raw.SequenceEqual(segment.Utf8Name)
                : string.Equals(Json.JsonText.Decode(raw), segment.Name, StringComparison.Ordinal);
            if (match)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public override string ToString() => Text;
}
