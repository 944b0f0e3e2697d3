using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PolicyEngine.ModelContextProtocol.Schema;
using PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>
/// The server filter checks the arguments against the matched tool's input schema before the policy decides: a call
/// the tool would bind differently from how the policy read it never runs, and the policy is not asked.
/// </summary>
public sealed class ArgumentSchemaTests
{
    private const string Policy = """
        { "version": "1", "default": "allow",
          "tools": {
            "order": { "deny_if": [{ "conditions": [{ "path": "args.side", "op": "eq", "value": "Sell" }], "on_deny": "No selling." }] },
            "transfer_request": {
              "require": [{ "path": "args.request.amount", "op": "lte", "value": 100 }],
              "deny_if": [{ "conditions": [{ "path": "args.request.to", "op": "starts_with", "value": "ext-" }] }] },
            "measure": { "limits": [{ "max": 1, "window": "1h" }] } } }
        """;

    [Theory]
    [InlineData("\"sell\"")]
    [InlineData("\"SELL\"")]
    [InlineData("\" Sell\"")]
    [InlineData("\"Buy,Sell\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    public async Task An_enum_spelled_other_than_its_listed_value_is_an_invalid_call(string side)
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync(Policy, probe.Create());

        var result = await server.CallRawAsync("order", $$"""{ "side": {{side}}, "quantity": 1 }""");

        AssertInvalidCall(result, "/side");
        Assert.Empty(probe.Received);
        StdioServerTests.AssertPolicyResult(await server.CallRawAsync("order", """{ "side": "Sell", "quantity": 1 }"""), "deny", DecisionCodes.Denied, "/tools/order/deny_if/0");
        Assert.Equal("ran order", StdioServerTests.Text(await server.CallRawAsync("order", """{ "side": "Buy", "quantity": 1 }""")));
    }

    [Theory]
    [InlineData("""{ "request": { "amount": 1, "AMOUNT": 5000, "to": "acct-1", "TO": "ext-evil" } }""", "/request/AMOUNT")]
    [InlineData("""{ "request": { "amount": 1, "To": "ext-evil" } }""", "/request/To")]
    [InlineData("""{ "Request": { "amount": 1, "to": "acct-1" } }""", "/Request")]
    [InlineData("""{ "request": { "amount": 1, "to": "acct-1", "to": "ext-evil" } }""", "/request/to")]
    public async Task A_name_that_matches_a_declared_property_only_ignoring_case_or_repeats_is_an_invalid_call(string arguments, string location)
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync(Policy, probe.Create());

        AssertInvalidCall(await server.CallRawAsync("transfer_request", arguments), location);
        Assert.Empty(probe.Received);
        Assert.Equal("ran transfer_request", StdioServerTests.Text(await server.CallRawAsync("transfer_request", """{ "request": { "amount": 1, "to": "acct-1" } }""")));
    }

    [Theory]
    [InlineData("""{ "ratio": "0.5", "count": 1, "big": null }""", "/ratio")]
    [InlineData("""{ "ratio": 0.5, "count": "1", "big": null }""", "/count")]
    [InlineData("""{ "ratio": 1.00000000000000000001, "count": 1, "big": null }""", "/ratio")]
    [InlineData("""{ "ratio": 1e-400, "count": 1, "big": null }""", "/ratio")]
    [InlineData("""{ "ratio": 1E400, "count": 1, "big": null }""", "/ratio")]
    [InlineData("""{ "ratio": 0.5, "big": null }""", "")]
    public async Task A_number_that_is_a_string_or_would_be_rounded_or_missing_is_an_invalid_call_and_spends_nothing(string arguments, string location)
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync(Policy, probe.Create());

        AssertInvalidCall(await server.CallRawAsync("measure", arguments), location);

        // The policy was not asked: the one call its limit allows is still there.
        Assert.Equal("ran measure", StdioServerTests.Text(await server.CallRawAsync("measure", """{ "ratio": 0.1, "count": 1, "big": 9007199254740993 }""")));
        StdioServerTests.AssertPolicyResult(await server.CallRawAsync("measure", """{ "ratio": 0.1, "count": 1, "big": null }"""), "deny", DecisionCodes.RateLimited, "/tools/measure/limits/0");
    }

    // The schema cannot know the policy's patterns: this one is the engine's (spec §3 rule 5), seen end to end.
    [Fact]
    public async Task A_value_ending_in_a_newline_does_not_match_a_pattern_anchored_with_dollar()
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync("""
            { "version": "1", "default": "deny",
              "tools": { "transfer_request": { "require": [{ "path": "args.request.to", "op": "regex", "value": "^acct-[0-9]+$" }] } } }
            """, probe.Create());

        var result = await server.CallRawAsync("transfer_request", """{ "request": { "amount": 1, "to": "acct-1\n" } }""");

        StdioServerTests.AssertPolicyResult(result, "deny", DecisionCodes.RequirementFailed, "/tools/transfer_request/require/0");
        Assert.Empty(probe.Received);
    }

    [Theory]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E", "/id")]
    [InlineData("0f8fad5bd9cb469fa16570867728950e", "/id")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", null)]
    public async Task A_guid_in_another_spelling_than_lower_case_8_4_4_4_12_is_an_invalid_call(string id, string? location)
    {
        var account = McpServerTool.Create((Guid id) => id.ToString(), new() { Name = "account" });
        await using var server = await InProcessServer.StartAsync("""
            { "version": "1", "default": "allow",
              "tools": { "account": { "deny_if": [{ "conditions": [{ "path": "args.id", "op": "eq", "value": "0f8fad5b-d9cb-469f-a165-70867728950e" }] }] } } }
            """, [account]);

        var result = await server.CallRawAsync("account", $$"""{ "id": "{{id}}" }""");

        if (location is null)
        {
            StdioServerTests.AssertPolicyResult(result, "deny", DecisionCodes.Denied, "/tools/account/deny_if/0");
        }
        else
        {
            AssertInvalidCall(result, location);
        }
    }

    [Fact]
    public async Task With_validation_off_the_host_gets_the_sdks_binding_unchecked()
    {
        var probe = new ProbeTools();
        await using var server = await InProcessServer.StartAsync(Policy, probe.Create(), o => o.ValidateArguments = false);

        Assert.Equal("ran order", StdioServerTests.Text(await server.CallRawAsync("order", """{ "side": "sell", "quantity": 1 }""")));
        Assert.Equal(Side.Sell, Assert.Single(probe.Received).Values["side"]);
    }

    [Fact]
    public async Task A_call_to_no_tool_is_still_decided_by_the_policy()
    {
        await using var server = await InProcessServer.StartAsync("""{ "version": "1", "default": "deny" }""", new ProbeTools().Create());

        StdioServerTests.AssertPolicyResult(await server.CallRawAsync("no_such_tool", """{ "SIDE": "x" }"""), "deny", DecisionCodes.DefaultDeny, "/default");
    }

    [Fact]
    public async Task A_hidden_tool_is_answered_as_hidden_whatever_its_arguments()
    {
        await using var server = await InProcessServer.StartAsync("""{ "version": "1", "default": "allow", "hide": ["order"] }""", new ProbeTools().Create());

        StdioServerTests.AssertPolicyResult(await server.CallRawAsync("order", """{ "SIDE": "sell" }"""), "deny", DecisionCodes.Hidden, "/hide/0");
    }

    [Fact]
    public void A_tool_whose_schema_cannot_be_compiled_refuses_every_call()
    {
        var broken = McpServerTool.Create(() => "x", new() { Name = "broken" }).ProtocolTool;
        broken.InputSchema = System.Text.Json.JsonDocument.Parse("""{ "type": "object", "properties": { "a": { "type": 5 } } }""").RootElement;

        var violation = Assert.IsType<SchemaViolation>(ToolArgumentSchema.Compile(broken.InputSchema).Check(null));

        Assert.StartsWith("The tool's input schema cannot be used", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_name_with_braces_is_named_as_it_is_in_the_case_variant_message()
    {
        var tool = McpServerTool.Create(() => "x", new() { Name = "t" }).ProtocolTool;
        tool.InputSchema = System.Text.Json.JsonDocument.Parse("""{ "type": "object", "properties": { "a{0}b": { "type": "string" } } }""").RootElement;
        var arguments = new Dictionary<string, System.Text.Json.JsonElement> { ["A{0}B"] = System.Text.Json.JsonDocument.Parse("\"x\"").RootElement };

        var violation = Assert.IsType<SchemaViolation>(ToolArgumentSchema.Compile(tool.InputSchema).Check(arguments));

        Assert.Equal("The property at '/A{0}B' differs only in case from the declared property 'a{0}b'; use the declared name exactly.", violation.Message);
    }

    internal static void AssertInvalidCall(CallToolResult result, string location)
    {
        var structured = StdioServerTests.AssertPolicyResult(result, "deny", DecisionCodes.InvalidCall, null);
        Assert.Equal(location, structured.GetProperty("instance_location").GetString());
        Assert.Contains(location.Length == 0 ? "argument" : location, StdioServerTests.Text(result), StringComparison.Ordinal);
    }
}
