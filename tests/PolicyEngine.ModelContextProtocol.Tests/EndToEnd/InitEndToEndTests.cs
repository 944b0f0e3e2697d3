using System.Text.Json;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// Issue 16 end to end: <c>policyengine init --server -- dotnet McpServer.dll</c> writes a policy that validates, and
/// with it the AgentHost sample's reads run while its money movements wait for a person.
/// </summary>
public sealed class InitEndToEndTests
{
    private static string Cli => Path.Combine(DotnetProcess.Directory("CliDirectory"), "policyengine.dll");

    private static string Server => Path.Combine(SampleServer.Directory, "McpServer.dll");

    [Fact]
    public async Task Init_against_the_sample_server_writes_a_policy_under_which_reads_run_and_money_waits_for_approval()
    {
        using var folder = new TempPolicyFile("{}");
        var policyFile = folder.Sibling("generated.json");

        var init = await DotnetProcess.RunAsync(Cli, "init", "-o", policyFile, "--approvals", "engine", "--server", "--", "dotnet", Server);

        Assert.True(init.ExitCode == 0, init.Stderr);
        var text = await File.ReadAllTextAsync(policyFile, TestContext.Current.CancellationToken);
        Assert.True(Policy.TryParse(text, out _, out var errors), string.Join("\n", errors));
        var tools = JsonElement.Parse(text).GetProperty("tools");
        Assert.Equal(["binance_us_cust_cancel_orders_symbol", "get_price", "place_order", "transfer"], tools.EnumerateObject().Select(p => p.Name));
        Assert.All(tools.EnumerateObject(), p => Assert.StartsWith("sha256:", p.Value.GetProperty("pin").GetString(), StringComparison.Ordinal));

        var host = await DotnetProcess.RunAsync(Path.Combine(DotnetProcess.Directory("AgentHostDirectory"), "AgentHost.dll"), "--server-policy", policyFile);

        Assert.True(host.ExitCode == 0, host.Stderr);
        var lines = host.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("allowed: get_price -> ok BTCUSD: ", StringComparison.Ordinal));
        // Money movement: the server's policy (pinned definitions and all) holds each call until the operator answers.
        Assert.Contains(lines, l => l.Contains("operator asked: Approve the call to 'transfer'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("operator asked: Approve the call to 'place_order'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"code\":\"denied\",\"rule\":\"/tools/transfer/action\"", StringComparison.Ordinal)); // the operator declined
        Assert.DoesNotContain(lines, l => l.Contains("definition_changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_engine_approvals_the_seed_tool_gets_the_seeds_own_rule()
    {
        var init = await DotnetProcess.RunAsync(Cli, "init", "--dry-run", "--server", "--", "dotnet", Server);

        Assert.True(init.ExitCode == 0, init.Stderr);
        var seed = JsonElement.Parse(init.Stdout).GetProperty("tools").GetProperty("binance_us_cust_cancel_orders_symbol");
        Assert.StartsWith("Financial, critical risk: ", seed.GetProperty("x-description").GetString(), StringComparison.Ordinal);
        var rule = Assert.Single(seed.GetProperty("deny_if").EnumerateArray());
        Assert.Equal(0, rule.GetProperty("conditions").GetArrayLength());
        Assert.Equal("Requires human approval.", rule.GetProperty("on_deny").GetString());
    }
}
