using System.Reflection;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PolicyEngine;
using PolicyEngine.ModelContextProtocol;

// An agent host: starts samples/McpServer over stdio, lists its tools, and makes the calls an agent would.
// Two policies are at work: the server's (policy.json beside the server, enforced in its call-tool filter) and the
// host's own (host-policy.json, enforced by PolicyEnforcingMcpClient before a call leaves this process).
// --server-policy PATH gives the server another policy, e.g. one written by `policyengine init`.
var serverDirectory = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "ServerDirectory").Value!;
var serverPolicyAt = Array.IndexOf(args, "--server-policy");
string[] serverPolicy = serverPolicyAt >= 0 && serverPolicyAt + 1 < args.Length ? ["--policy", args[serverPolicyAt + 1]] : [];

// The host API for in-band approval: the server asks through MCP elicitation and the operator answers.
// This scripted operator approves the first request it is shown and refuses the others.
var approvalsGranted = 0;
ValueTask<ElicitResult> Operator(ElicitRequestParams? request, CancellationToken cancellationToken)
{
    var approve = Interlocked.Increment(ref approvalsGranted) == 1;
    Console.WriteLine($"  operator asked: {request?.Message}");
    Console.WriteLine($"  operator answers: {(approve ? "approve" : "refuse")}");
    return ValueTask.FromResult(new ElicitResult
    {
        Action = "accept",
        Content = new Dictionary<string, JsonElement> { ["approve"] = JsonSerializer.SerializeToElement(approve) },
    });
}

await using var client = await McpClient.CreateAsync(
    new StdioClientTransport(new StdioClientTransportOptions
    {
        Name = "trading",
        Command = "dotnet",
        Arguments = [Path.Combine(serverDirectory, "McpServer.dll"), "--elicit-approvals", .. serverPolicy],
    }),
    new McpClientOptions { Handlers = new McpClientHandlers { ElicitationHandler = Operator } });

using var hostEvaluator = new PolicyEvaluator(Policy.LoadFile(Path.Combine(AppContext.BaseDirectory, "host-policy.json")));
var agent = new PolicyEnforcingMcpClient(client, hostEvaluator);

Console.WriteLine("Tools the agent sees:");
foreach (var tool in await agent.ListToolsAsync())
{
    Console.WriteLine($"  {tool.Name}: {tool.Description}");
}

await Call("allowed", "get_price", new() { ["symbol"] = "BTCUSD" });
await Call("denied by an argument rule", "place_order", new() { ["symbol"] = "BTCUSD", ["side"] = "buy", ["quantity"] = 5000 });
await Call("denied by the seed rule", "binance_us_cust_cancel_orders_symbol", new() { ["symbol"] = "BTCUSD" });
for (var i = 1; i <= 4; i++)
{
    await Call($"order {i} of 4 (limit: 3 a minute)", "place_order", new() { ["symbol"] = "ETHUSD", ["side"] = "buy", ["quantity"] = 1 });
}

await Call("approval-gated, approved by the operator", "transfer", new() { ["amount"] = 5000, ["to"] = "acct-7" });
await Call("approval-gated, refused by the operator", "transfer", new() { ["amount"] = 8000, ["to"] = "acct-7" });

// The host's own policy gates a payee it does not know: the call never leaves the process until the host approves.
var unknownPayee = new Dictionary<string, object?> { ["amount"] = 200, ["to"] = "acct-unknown" };
await Call("held by the host's policy", "transfer", unknownPayee);
var approvalId = agent.GetApprovalId("transfer", unknownPayee)!;
Console.WriteLine($"  host approves {approvalId}: {hostEvaluator.Approve(approvalId)}");
await Call("retried after the host approved", "transfer", unknownPayee);
await Call("the approval was spent: held again", "transfer", unknownPayee);

async Task Call(string label, string tool, Dictionary<string, object?> arguments)
{
    var result = await agent.CallToolAsync(tool, arguments);
    var text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;
    Console.WriteLine($"{label}: {tool} -> {(result.IsError == true ? "ERROR" : "ok")} {text}");
    if (result.StructuredContent is { } structured && McpPolicyResults.IsPolicyResult(result))
    {
        Console.WriteLine($"  {structured.GetRawText()}");
    }
}
