using System.Text.Json;

namespace PolicyEngine.Tests.Risk;

/// <summary>ToolRisk.Classify on the seed's tool, the sample server's tools and the annotation rules of issue 16.</summary>
public sealed class ToolRiskTests
{
    private const string Seed = "binance_us_cust_cancel_orders_symbol";

    private static readonly JsonElement NoSchema = default;

    [Fact]
    public void The_seed_tool_by_its_name_alone_is_financial_and_critical_with_reasons_a_person_accepts()
    {
        var risk = ToolRisk.Classify(Seed, null, null, NoSchema);

        Assert.Equal(ToolCategory.Financial, risk.Category);
        Assert.Equal(ToolRiskLevel.Critical, risk.Level);
        Assert.Equal(["verb \"cancel\" in name", "plural \"orders\" after \"cancel\": acts on many", "noun \"orders\" in name"], risk.Reasons);
        Assert.Equal("binance_us_cust_cancel_orders_symbol is a Financial tool with critical risk.", risk.ToString());
    }

    [Theory]
    [InlineData("""{"name":"get_price","description":"Gets the last traded price of a symbol.","inputSchema":{"type":"object","properties":{"symbol":{"type":"string"}}}}""", ToolCategory.Read, ToolRiskLevel.Low)]
    [InlineData("""{"name":"place_order","description":"Places a limit order.","inputSchema":{"type":"object","properties":{"symbol":{"type":"string"},"side":{"type":"string"},"quantity":{"type":"number"}}}}""", ToolCategory.Financial, ToolRiskLevel.Critical)]
    [InlineData("""{"name":"transfer","description":"Transfers funds to another account.","inputSchema":{"type":"object","properties":{"amount":{"type":"number"},"to":{"type":"string"}}}}""", ToolCategory.Financial, ToolRiskLevel.Critical)]
    [InlineData("""{"name":"binance_us_cust_cancel_orders_symbol","description":"Cancels every open order on a symbol.","inputSchema":{"type":"object","properties":{"symbol":{"type":"string"}}}}""", ToolCategory.Financial, ToolRiskLevel.Critical)]
    [InlineData("""{"name":"admin_rotate_keys","description":"Rotates the exchange API keys.","inputSchema":{"type":"object","properties":{}}}""", ToolCategory.Credentials, ToolRiskLevel.Critical)]
    public void The_sample_servers_tools_are_classified_as_a_person_would(string definition, ToolCategory category, ToolRiskLevel level)
    {
        var risk = ToolRisk.Classify(JsonElement.Parse(definition));

        Assert.Equal((category, level), (risk.Category, risk.Level));
        Assert.NotEmpty(risk.Reasons);
    }

    [Fact]
    public void A_declared_destructiveHint_is_never_below_high()
    {
        var risk = ToolRisk.Classify("list_things", null, "Lists things.", NoSchema, readOnlyHint: true, destructiveHint: true);

        Assert.Equal(ToolRiskLevel.High, risk.Level);
        Assert.Contains("annotation destructiveHint=true", risk.Reasons);
    }

    [Fact]
    public void ReadOnlyHint_lowers_a_write_but_not_money_movement()
    {
        var write = ToolRisk.Classify("update_note", null, null, NoSchema, readOnlyHint: true);
        var money = ToolRisk.Classify("transfer", null, null, NoSchema, readOnlyHint: true);

        Assert.Equal((ToolCategory.Read, ToolRiskLevel.Low), (write.Category, write.Level));
        Assert.Equal((ToolCategory.Financial, ToolRiskLevel.Critical), (money.Category, money.Level));
        Assert.Contains("readOnlyHint not trusted: money is involved", money.Reasons);
    }

    [Fact]
    public void ReadOnlyHint_does_not_lower_reading_secrets()
    {
        var risk = ToolRisk.Classify("get_secret", null, null, NoSchema, readOnlyHint: true);

        Assert.Equal((ToolCategory.Credentials, ToolRiskLevel.Medium), (risk.Category, risk.Level));
    }

    [Theory]
    [InlineData("delete_repository", ToolCategory.Destructive, ToolRiskLevel.Critical)]
    [InlineData("delete_file", ToolCategory.Destructive, ToolRiskLevel.High)]
    [InlineData("run_shell_command", ToolCategory.CodeExecution, ToolRiskLevel.Critical)]
    [InlineData("slack_post_message", ToolCategory.Communication, ToolRiskLevel.High)]
    [InlineData("add_reaction", ToolCategory.Communication, ToolRiskLevel.Medium)]
    [InlineData("create_note", ToolCategory.Write, ToolRiskLevel.Medium)]
    [InlineData("list_customers", ToolCategory.Read, ToolRiskLevel.Medium)]
    [InlineData("getWeatherForecast", ToolCategory.Read, ToolRiskLevel.Low)]
    [InlineData("BinanceOptionsCancelAllOrders", ToolCategory.Financial, ToolRiskLevel.Critical)]
    [InlineData("frobnicate", ToolCategory.Write, ToolRiskLevel.Medium)]
    public void Names_alone_give_the_rubrics_answer(string name, ToolCategory category, ToolRiskLevel level)
    {
        var risk = ToolRisk.Classify(name, null, null, NoSchema);

        Assert.Equal((category, level), (risk.Category, risk.Level));
    }

    [Fact]
    public void Schema_properties_and_description_phrases_are_signals_with_reasons()
    {
        var schema = JsonElement.Parse("""{"type":"object","properties":{"command":{"type":"string"}}}""");
        var risk = ToolRisk.Classify("exec", null, "Runs it. Use with caution.", schema);

        Assert.Equal((ToolCategory.CodeExecution, ToolRiskLevel.Critical), (risk.Category, risk.Level));
        Assert.Contains("schema property \"command\"", risk.Reasons);
        Assert.Contains("description says \"Use with caution\"", risk.Reasons);
    }

    [Fact]
    public void A_tools_list_entry_gives_the_title_from_annotations_and_the_hints()
    {
        var risk = ToolRisk.Classify(JsonElement.Parse("""{"name":"x1","annotations":{"title":"Delete bucket","destructiveHint":true}}"""));

        Assert.Equal((ToolCategory.Destructive, ToolRiskLevel.Critical), (risk.Category, risk.Level));
        Assert.Equal(["annotation destructiveHint=true", "verb \"delete\" in title", "noun \"bucket\" in title"], risk.Reasons);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"description":"no name"}""")]
    [InlineData("""{"name":7}""")]
    public void A_definition_without_a_string_name_is_rejected(string json) =>
        Assert.Throws<ArgumentException>(() => ToolRisk.Classify(JsonElement.Parse(json)));

    [Fact]
    public void Huge_descriptions_are_read_up_to_a_limit_and_the_answer_is_the_same_each_time()
    {
        var description = "Reads. " + string.Concat(Enumerable.Repeat("delete all the things ", 100_000));
        var first = ToolRisk.Classify("get_report", null, description, NoSchema);
        var second = ToolRisk.Classify("get_report", null, description, NoSchema);

        Assert.Equal(first.Reasons, second.Reasons);
        Assert.Equal((first.Category, first.Level), (second.Category, second.Level));
    }

    [Theory]
    [InlineData(ToolRiskLevel.Low, "low")]
    [InlineData(ToolRiskLevel.Medium, "medium")]
    [InlineData(ToolRiskLevel.High, "high")]
    [InlineData(ToolRiskLevel.Critical, "critical")]
    public void Levels_have_lower_case_names(ToolRiskLevel level, string name) => Assert.Equal(name, ToolRisk.NameOf(level));
}
