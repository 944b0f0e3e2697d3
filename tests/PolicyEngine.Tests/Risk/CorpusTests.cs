namespace PolicyEngine.Tests.Risk;

/// <summary>The targets of issue 16 on the hand-labelled corpus of real tool definitions (docs/risk.md reports the tables).</summary>
public sealed class CorpusTests
{
    [Fact]
    public void The_corpus_holds_about_a_hundred_sourced_tools_with_unique_names_per_server()
    {
        var tools = LabelledCorpus.All;
        Assert.InRange(tools.Count, 100, 130);
        Assert.All(tools, t => Assert.Matches("^[0-9a-f]{40}$", t.Commit));
        Assert.Equal(tools.Count, tools.Select(t => (t.Server, t.Name)).Distinct().Count());
        WriteReportIfAsked();
    }

    [Fact]
    public void Risk_is_exact_on_at_least_85_percent_of_the_corpus()
    {
        var misses = LabelledCorpus.All.Where(t => ToolRisk.Classify(t.Definition).Level != t.Level).Select(t => t.Name).ToList();
        var exact = LabelledCorpus.All.Count - misses.Count;
        Assert.True(exact * 100 >= LabelledCorpus.All.Count * 85, $"exact on {exact} of {LabelledCorpus.All.Count}; misses: {string.Join(", ", misses)}");
    }

    [Fact]
    public void Risk_is_never_off_by_more_than_one_level()
    {
        Assert.All(LabelledCorpus.All, t =>
        {
            var risk = ToolRisk.Classify(t.Definition);
            Assert.True(Math.Abs(risk.Level - t.Level) <= 1, $"{t.Server}/{t.Name}: labelled {t.Level}, classified {risk.Level} ({string.Join("; ", risk.Reasons)})");
        });
    }

    [Fact]
    public void Nothing_that_moves_money_or_executes_code_is_below_high()
    {
        var dangerous = LabelledCorpus.All.Where(t => t.Category is ToolCategory.Financial or ToolCategory.CodeExecution && t.Level >= ToolRiskLevel.High).ToList();
        Assert.NotEmpty(dangerous);
        Assert.All(dangerous, t =>
        {
            var risk = ToolRisk.Classify(t.Definition);
            Assert.True(risk.Level >= ToolRiskLevel.High, $"{t.Server}/{t.Name}: {risk}");
        });
    }

    // RISK_CORPUS_REPORT=path writes the Markdown tables of docs/risk.md.
    private static void WriteReportIfAsked()
    {
        if (Environment.GetEnvironmentVariable("RISK_CORPUS_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, LabelledCorpus.Report());
        }
    }
}
