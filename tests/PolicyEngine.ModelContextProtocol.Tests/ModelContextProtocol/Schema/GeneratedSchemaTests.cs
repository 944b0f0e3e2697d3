namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>
/// The argument check relies on the schemas the SDK generates being exact where the binder is loose: enums as their
/// listed names, numbers as numbers only (the binder also reads them from strings). An SDK upgrade that loosens them
/// fails here first.
/// </summary>
public sealed class GeneratedSchemaTests
{
    [Fact]
    public void Enums_list_their_names_and_numbers_admit_no_strings()
    {
        var tools = new ProbeTools().Create().ToDictionary(t => t.ProtocolTool.Name, t => t.ProtocolTool.InputSchema);

        var order = tools["order"].GetProperty("properties");
        Assert.Equal("""{"type":"string","enum":["Buy","Sell"]}""", order.GetProperty("side").GetRawText());
        Assert.Equal("""{"type":"number"}""", order.GetProperty("quantity").GetRawText());
        var measure = tools["measure"].GetProperty("properties");
        Assert.Equal("""{"type":"number"}""", measure.GetProperty("ratio").GetRawText());
        Assert.Equal("""{"type":"integer"}""", measure.GetProperty("count").GetRawText());
        Assert.Equal("""{"type":["integer","null"]}""", measure.GetProperty("big").GetRawText());
        var request = tools["transfer_request"].GetProperty("properties").GetProperty("request").GetProperty("properties");
        Assert.Equal(["amount", "to"], request.EnumerateObject().Select(p => p.Name));
        var line = tools["batch"].GetProperty("properties").GetProperty("lines").GetProperty("items").GetProperty("properties");
        Assert.Equal("""{"type":"string","enum":["Buy","Sell"]}""", line.GetProperty("side").GetRawText());
    }
}
