using System.Text;
using System.Text.Json;
using PolicyEngine.Linting;

namespace PolicyEngine.Tests.Linting;

/// <summary>The checks against a tool listing (--tools): pinned tools, costs in the pinned schema, uncovered tools.</summary>
public sealed class LintToolsTests
{
    private const string Pay = """{"name": "pay", "description": "Pays.", "inputSchema": {"type": "object", "properties": {"amount": {"type": "number"}, "order": {"type": "object", "properties": {"total": {"type": "number"}}}}}}""";
    private const string Read = """{"name": "read", "description": "Reads.", "inputSchema": {"type": "object"}}""";

    private static readonly string PayPin = ToolPin.Compute(JsonDocument.Parse(Pay).RootElement);

    private static IReadOnlyList<ListedTool> Listing(params string[] tools) =>
        ListedTool.Read(Encoding.UTF8.GetBytes("{\"tools\": [" + string.Join(",", tools) + "]}"));

    private static string Policy(string payEntry, string dflt = "deny") =>
        $$"""{"version": "1", "default": "{{dflt}}", "all_tools": {"limits": [{"max": 100, "window": 60}]}, "tools": {"read": {}, "pay": """ + payEntry + "}}";

    [Fact]
    public void A_pinned_entry_whose_definition_is_listed_is_fine() =>
        Assert.Empty(LintTests.Lint(Policy($$"""{"pin": "{{PayPin}}"}"""), Listing(Pay, Read)));

    [Fact]
    public void A_pinned_entry_whose_tool_changed_or_is_gone_is_reported()
    {
        var stale = "sha256:" + new string('0', 64);
        var changed = Assert.Single(LintTests.Lint(Policy($$"""{"pin": "{{stale}}"}"""), Listing(Pay, Read)));
        Assert.Equal(("PE0013", "/tools/pay/pin"), (changed.Code, changed.Pointer));
        Assert.Contains(PayPin, changed.Message, StringComparison.Ordinal);
        var gone = LintTests.Lint(Policy($$"""{"pin": "{{PayPin}}"}"""), Listing(Read));
        Assert.Contains(gone, f => f.Code == "PE0013" && f.Message.Contains("nor the name 'pay'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("args.amount", false)]
    [InlineData("args.order.total", false)]
    [InlineData("args.order.tax", true)]
    [InlineData("args.amout", true)]
    [InlineData("context.budget", false)]
    public void A_cost_path_the_pinned_schema_lacks_is_reported(string cost, bool reported)
    {
        var findings = LintTests.Lint(Policy($$"""{"pin": "{{PayPin}}", "limits": [{"max": 1000, "window": "1d", "cost": "{{cost}}"}]}"""), Listing(Pay, Read));
        Assert.Equal(reported, findings.Any(f => f.Code == "PE0010" && f.Pointer == "/tools/pay/limits/0/cost"));
    }

    [Fact]
    public void A_listed_tool_no_entry_covers_is_reported_unless_hidden()
    {
        var admin = """{"name": "admin_reset", "inputSchema": {"type": "object"}}""";
        var wipe = """{"name": "wipe", "inputSchema": {"type": "object"}}""";
        var policy = """{"version": "1", "default": "deny", "hide": ["admin_*"], "all_tools": {"limits": [{"max": 100, "window": 60}]}, "tools": {"re*": {}, "pay": {}}}""";
        var finding = Assert.Single(LintTests.Lint(policy, Listing(Pay, Read, admin, wipe)));
        Assert.Equal(("PE0014", "/tools"), (finding.Code, finding.Pointer));
        Assert.Contains("'wipe'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("denied by default", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_listing_no_tool_check_runs() =>
        Assert.Empty(LintTests.Lint(Policy("""{"pin": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}""")));

    [Theory]
    [InlineData("{")]
    [InlineData("{\"tools\": 1}")]
    [InlineData("[{\"description\": \"no name\"}]")]
    public void A_listing_that_is_not_one_is_rejected(string text) =>
        Assert.Throws<InvalidDataException>(() => ListedTool.Read(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_bare_array_is_a_listing_too() => Assert.Equal(["pay", "read"], ListedTool.Read(Encoding.UTF8.GetBytes("[" + Pay + "," + Read + "]")).Select(t => t.Name));
}
