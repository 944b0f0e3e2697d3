using System.Text;
using System.Text.Json;

namespace PolicyEngine.Tests.Risk;

/// <summary>One tool of Corpus/corpus.json: its definition, where it came from and its hand label.</summary>
internal sealed record LabelledTool(string Server, string Repository, string Commit, JsonElement Definition, ToolCategory Category, ToolRiskLevel Level)
{
    public string Name => Definition.GetProperty("name").GetString()!;
}

/// <summary>The labelled corpus and the confusion tables of the classifier on it (reported in docs/risk.md).</summary>
internal static class LabelledCorpus
{
    private static readonly Lazy<IReadOnlyList<LabelledTool>> Tools = new(Load);

    public static IReadOnlyList<LabelledTool> All => Tools.Value;

    public static ToolRiskLevel ParseLevel(string text) => Enum.GetValues<ToolRiskLevel>().Single(l => ToolRisk.NameOf(l) == text);

    /// <summary>The tables and the list of disagreements, as Markdown.</summary>
    public static string Report()
    {
        var results = All.Select(t => (Tool: t, Risk: ToolRisk.Classify(t.Definition))).ToList();
        var text = new StringBuilder();
        var exact = results.Count(r => r.Risk.Level == r.Tool.Level);
        var categories = results.Count(r => r.Risk.Category == r.Tool.Category);
        text.Append($"Risk exact: {exact} of {results.Count} ({100.0 * exact / results.Count:0.0} %); ")
            .Append($"off by more than one level: {results.Count(r => Math.Abs(r.Risk.Level - r.Tool.Level) > 1)}; ")
            .Append($"category exact: {categories} of {results.Count} ({100.0 * categories / results.Count:0.0} %).\n\n");
        Table(text, "label \\ classified", Enum.GetValues<ToolRiskLevel>(), l => ToolRisk.NameOf(l), results.Select(r => (r.Tool.Level, r.Risk.Level)));
        text.Append('\n');
        Table(text, "label \\ classified", Enum.GetValues<ToolCategory>(), c => c.ToString(), results.Select(r => (r.Tool.Category, r.Risk.Category)));
        text.Append("\n| server | tool | label | classified | reasons |\n| --- | --- | --- | --- | --- |\n");
        foreach (var (tool, risk) in results.Where(r => r.Risk.Level != r.Tool.Level || r.Risk.Category != r.Tool.Category))
        {
            text.Append($"| {tool.Server} | `{tool.Name}` | {tool.Category} / {ToolRisk.NameOf(tool.Level)} | {risk.Category} / {risk.LevelName} | {string.Join("; ", risk.Reasons).Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }

    private static void Table<T>(StringBuilder text, string corner, T[] values, Func<T, string> name, IEnumerable<(T Label, T Got)> pairs)
        where T : struct, Enum
    {
        var counts = pairs.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        text.Append($"| {corner} | ").AppendJoin(" | ", values.Select(name)).Append(" |\n|---").Append(string.Concat(values.Select(_ => "|---:"))).Append("|\n");
        foreach (var label in values)
        {
            text.Append($"| **{name(label)}** | ").AppendJoin(" | ", values.Select(got => counts.GetValueOrDefault((label, got)).ToString(System.Globalization.CultureInfo.InvariantCulture))).Append(" |\n");
        }
    }

    private static IReadOnlyList<LabelledTool> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Risk", "Corpus", "corpus.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateArray().Select(e => new LabelledTool(
            e.GetProperty("server").GetString()!,
            e.GetProperty("source").GetProperty("repo").GetString()!,
            e.GetProperty("source").GetProperty("commit").GetString()!,
            e.GetProperty("tool").Clone(),
            Enum.Parse<ToolCategory>(e.GetProperty("label").GetProperty("category").GetString()!),
            ParseLevel(e.GetProperty("label").GetProperty("risk").GetString()!))).ToList();
    }
}
