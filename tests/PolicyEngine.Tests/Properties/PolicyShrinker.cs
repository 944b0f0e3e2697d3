using System.Text.Json.Nodes;

namespace PolicyEngine.Tests.Properties;

/// <summary>Smaller valid variants of a valid policy: drop one optional key, tool entry or array item at a time.</summary>
public static class PolicyShrinker
{
    private static readonly HashSet<string> Required = new(StringComparer.Ordinal) { "version", "default", "max", "window", "path", "op", "value", "conditions" };

    /// <summary>Each variant removes one removable member or array element (never a required key or the last item of a combinator).</summary>
    public static IEnumerable<string> Shrink(string policyText)
    {
        var count = Removables(JsonNode.Parse(policyText)!).Count;
        for (var i = 0; i < count; i++)
        {
            var copy = JsonNode.Parse(policyText)!;
            var target = Removables(copy)[i];
            if (target.Parent is JsonObject o) o.Remove(target.Key!);
            else if (target.Parent is JsonArray a) a.RemoveAt(target.Index);
            var text = copy.ToJsonString();
            if (Policy.TryParse(text, out _, out _)) yield return text;
        }
    }

    private static List<(JsonNode Parent, string? Key, int Index)> Removables(JsonNode root)
    {
        var list = new List<(JsonNode, string?, int)>();
        Walk(root, list);
        return list;
    }

    private static void Walk(JsonNode node, List<(JsonNode, string?, int)> list)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o.ToList())
            {
                if (!Required.Contains(key)) list.Add((o, key, -1));
                if (child is not null) Walk(child, list);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                list.Add((a, null, i));
                if (a[i] is { } child) Walk(child, list);
            }
        }
    }
}
