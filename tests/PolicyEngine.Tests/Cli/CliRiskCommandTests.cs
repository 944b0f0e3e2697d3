using System.Text.Json;

namespace PolicyEngine.Tests.Cli;

/// <summary><c>policyengine classify</c> and <c>init</c> on saved tool lists, and their usage errors.</summary>
[Collection(CliProcess.Collection)]
public sealed class CliRiskCommandTests : IDisposable
{
    private const string Tools = """
        [
          {"name": "transfer", "description": "Transfers funds to another account.", "inputSchema": {"type": "object", "properties": {"amount": {"type": "number"}, "to": {"type": "string"}}}},
          {"name": "get_price", "description": "Gets the last traded price of a symbol.", "inputSchema": {"type": "object", "properties": {"symbol": {"type": "string"}}}},
          {"name": "delete_file", "inputSchema": {"type": "object"}, "annotations": {"destructiveHint": true}}
        ]
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Classify_prints_a_table_in_listing_order()
    {
        var run = CliProcess.Run("classify", "--tools", _folder.Write("tools.json", $$"""{"tools": {{Tools}}}"""));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Collection(
            run.Lines,
            l => Assert.Matches("^TOOL +CATEGORY +RISK +REASONS$", l),
            l => Assert.Matches("^transfer +Financial +critical +verb \"transfer\" in name", l),
            l => Assert.Matches("^get_price +Read +low +verb \"get\" in name$", l),
            l => Assert.Matches("^delete_file +Destructive +high +annotation destructiveHint=true; verb \"delete\" in name$", l));
    }

    [Theory]
    [InlineData("array")]
    [InlineData("result")]
    [InlineData("response")]
    public void Classify_json_has_one_entry_per_tool_in_listing_order_from_any_saved_form(string form)
    {
        var text = form switch
        {
            "array" => Tools,
            "result" => $$"""{"tools": {{Tools}}}""",
            _ => $$$"""{"jsonrpc": "2.0", "id": 1, "result": {"tools": {{{Tools}}}}}""",
        };

        var run = CliProcess.Run("classify", "--json", "--tools", _folder.Write("tools.json", text));

        Assert.Equal(0, run.ExitCode);
        var entries = JsonElement.Parse(run.Stdout).EnumerateArray().ToList();
        Assert.Equal(["transfer", "get_price", "delete_file"], entries.Select(e => e.GetProperty("tool").GetString()));
        Assert.Equal(["Financial", "Read", "Destructive"], entries.Select(e => e.GetProperty("category").GetString()));
        Assert.Equal(["critical", "low", "high"], entries.Select(e => e.GetProperty("risk").GetString()));
        Assert.Equal(["tool", "category", "risk", "reasons"], entries[0].EnumerateObject().Select(p => p.Name));
        Assert.Contains("schema property \"amount\"", entries[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Init_dry_run_prints_the_same_valid_policy_every_time()
    {
        var tools = _folder.Write("tools.json", Tools);

        var first = CliProcess.Run("init", "--dry-run", "--tools", tools);
        var second = CliProcess.Run("init", "--tools", tools, "--dry-run");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.True(Policy.TryParse(first.Stdout, out _, out var errors), string.Join("\n", errors));
        Assert.Contains("3 tool(s): 1 low, 0 medium, 1 high, 1 critical", first.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "policy.json")));
        var transfer = JsonElement.Parse(first.Stdout).GetProperty("tools").GetProperty("transfer");
        Assert.Equal("Requires human approval.", transfer.GetProperty("deny_if")[0].GetProperty("on_deny").GetString());
    }

    [Fact]
    public void Init_writes_the_file_refuses_to_replace_it_without_force_and_writes_engine_approvals()
    {
        var tools = _folder.Write("tools.json", Tools);
        var output = Path.Combine(_folder.Path, "out.json");

        Assert.Equal(0, CliProcess.Run("init", "--tools", tools, "-o", output).ExitCode);
        var written = File.ReadAllText(output);
        Assert.Equal(CliProcess.Run("init", "--tools", tools, "--dry-run").Stdout, written);

        var again = CliProcess.Run("init", "--tools", tools, "-o", output, "--approvals", "engine");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(written, File.ReadAllText(output));

        Assert.Equal(0, CliProcess.Run("init", "--tools", tools, "-o", output, "--approvals", "engine", "--force").ExitCode);
        var transfer = JsonElement.Parse(File.ReadAllText(output)).GetProperty("tools").GetProperty("transfer");
        Assert.Equal("require_approval", transfer.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("classify")]
    [InlineData("classify", "--json")]
    [InlineData("classify", "--tools", "a.json", "--url", "http://localhost:1/")]
    [InlineData("classify", "--server")]
    [InlineData("classify", "--server", "dotnet")]
    [InlineData("classify", "--url", "ftp://example.com/")]
    [InlineData("classify", "--tools", "a.json", "--dry-run")]
    [InlineData("init", "--tools", "a.json", "--approvals", "maybe")]
    [InlineData("init", "--tools", "a.json", "-o")]
    [InlineData("init", "--tools", "a.json", "-o", "a.json", "--output", "b.json")]
    public void Usage_errors_exit_2(params string[] arguments)
    {
        var run = CliProcess.Run(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("policyengine: ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", 1)]
    [InlineData("""{"tools": 5}""", 1)]
    [InlineData("""[{"description": "no name"}]""", 1)]
    public void Bad_tool_lists_are_named_and_exit_1(string text, int exitCode)
    {
        var run = CliProcess.Run("classify", "--tools", _folder.Write("tools.json", text));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains("tools.json", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_rejects_a_tool_name_no_policy_can_hold()
    {
        var run = CliProcess.Run("init", "--dry-run", "--tools", _folder.Write("tools.json", """[{"name": "has space"}]"""));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"has space\" is not a valid tool name", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_cannot_be_reached_or_started_is_a_clear_exit_2()
    {
        var http = CliProcess.Run("classify", "--url", "http://127.0.0.1:9/mcp");
        var stdio = CliProcess.Run("classify", "--server", "--", "no-such-command-for-policyengine");

        Assert.Equal(2, http.ExitCode);
        Assert.StartsWith("policyengine: cannot list the tools of http://127.0.0.1:9/mcp: ", http.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, stdio.ExitCode);
        Assert.Contains("no-such-command-for-policyengine", stdio.Stderr, StringComparison.Ordinal);
    }
}
