using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary>McpToolRisk.Classify reads the SDK's Tool as ToolRisk.Classify reads the JSON of tools/list.</summary>
public sealed class McpToolRiskTests
{
    [Fact]
    public void Annotations_and_the_annotation_title_reach_the_classifier()
    {
        var tool = new Tool
        {
            Name = "x1",
            InputSchema = JsonElement.Parse("""{"type":"object"}"""),
            Annotations = new ToolAnnotations { Title = "List buckets", ReadOnlyHint = true, DestructiveHint = true },
        };

        var risk = McpToolRisk.Classify(tool);

        Assert.Equal(ToolRiskLevel.High, risk.Level);
        Assert.Equal(["annotation readOnlyHint=true", "annotation destructiveHint=true", "verb \"list\" in title", "noun \"buckets\" in title"], risk.Reasons);
    }

    [Fact]
    public async Task Every_tool_the_sample_server_lists_is_classified_the_same_from_the_SDK_and_from_JSON()
    {
        await using var server = await SampleServer.StartAsync();
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        var byName = tools.ToDictionary(t => t.Name, t => McpToolRisk.Classify(t.ProtocolTool));
        foreach (var tool in tools)
        {
            var fromJson = ToolRisk.Classify(JsonSerializer.SerializeToElement(tool.ProtocolTool, McpJsonUtilities.DefaultOptions));
            Assert.Equal(fromJson.Reasons, byName[tool.Name].Reasons);
        }

        Assert.Equal((ToolCategory.Read, ToolRiskLevel.Low), (byName["get_price"].Category, byName["get_price"].Level));
        Assert.Equal((ToolCategory.Financial, ToolRiskLevel.Critical), (byName["place_order"].Category, byName["place_order"].Level));
        Assert.Equal((ToolCategory.Financial, ToolRiskLevel.Critical), (byName["transfer"].Category, byName["transfer"].Level));
        Assert.Equal((ToolCategory.Financial, ToolRiskLevel.Critical), (byName["binance_us_cust_cancel_orders_symbol"].Category, byName["binance_us_cust_cancel_orders_symbol"].Level));
    }
}
