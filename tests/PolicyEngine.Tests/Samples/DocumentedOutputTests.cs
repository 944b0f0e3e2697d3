using System.Text.Json;
using PolicyEngine.Tests.Cli;

namespace PolicyEngine.Tests.Samples;

/// <summary>
/// Output that the documentation shows for the samples, checked against what the code prints, with the inputs and
/// the expected lines read from the documents themselves, so that neither can drift: the README's Quick start (its
/// policy and its loop, run in process) and the <c>eval</c> example of docs/policy-language.md over
/// samples/QuickStart/policy.json (the built command, as a child process).
/// </summary>
[Collection(CliProcess.Collection)]
public class DocumentedOutputTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No PolicyEngine.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The body of the first fenced block in <paramref name="language"/> after <paramref name="marker"/>.</summary>
    private static string Block(string document, string marker, string language)
    {
        int at = document.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is no longer in the document");
        string fence = "```" + language + "\n";
        int start = document.IndexOf(fence, at, StringComparison.Ordinal) + fence.Length;
        int end = document.IndexOf("```", start, StringComparison.Ordinal);
        return document[start..end];
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void The_readme_quick_start_prints_what_the_readme_says()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        string policyJson = Block(readme, "## Quick start", "json");
        string code = Block(readme, "## Quick start", "csharp");
        string[] expected = Lines(Block(readme, "It prints:", "text"));

        // The loop below is the README's; these are its lines that decide what is printed.
        Assert.Contains("foreach (var amount in new[] { 250, 9000 })", code, StringComparison.Ordinal);
        Assert.Contains(""""JsonElement.Parse($$"""{"symbol":"BTCUSD","side":"buy","amount":{{amount}}}""")"""", code, StringComparison.Ordinal);
        Assert.Contains("SessionId = \"session-1\",", code, StringComparison.Ordinal);
        Assert.Contains("""Console.WriteLine($"{amount}: {decision.Effect} {decision.Code} at {decision.Rule}: {decision.Message}");""", code, StringComparison.Ordinal);

        using var evaluator = new PolicyEvaluator(Policy.Parse(policyJson));
        var printed = new List<string>();
        foreach (var amount in new[] { 250, 9000 })
        {
            var call = new ToolCall("binance_us_place_order", JsonElement.Parse($$"""{"symbol":"BTCUSD","side":"buy","amount":{{amount}}}"""))
            {
                SessionId = "session-1",
            };
            Decision decision = evaluator.Evaluate(call);
            printed.Add($"{amount}: {decision.Effect} {decision.Code} at {decision.Rule}: {decision.Message}".Trim());
        }

        Assert.Equal(expected, printed);
    }

    [Fact]
    public void The_eval_example_over_the_quick_start_sample_prints_what_the_language_reference_says()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "policy-language.md")).ReplaceLineEndings("\n");
        const string HereDoc = "cat > calls.jsonl <<'EOF'\n";
        int from = doc.IndexOf(HereDoc, StringComparison.Ordinal) + HereDoc.Length;
        Assert.True(from >= HereDoc.Length, "the example's calls are no longer in the document");
        string calls = doc[from..doc.IndexOf("\nEOF\npolicyengine eval --policy policy.json --calls calls.jsonl", from, StringComparison.Ordinal)];
        string[] expected = Lines(Block(doc, "With the [QuickStart policy](../samples/QuickStart/policy.json), this prints:", "json"));

        using var folder = new TempFolder();
        var result = CliProcess.Run("eval", "--policy", Path.Combine(Root, "samples", "QuickStart", "policy.json"), "--calls", folder.Write("calls.jsonl", calls + "\n"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Lines.Select(l => l.Trim()));
    }
}
