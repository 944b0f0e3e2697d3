// PolicyEngine quick start: load a policy, decide a few tool calls, approve one.
using System.Globalization;
using System.Text.Json;
using PolicyEngine;

var policyPath = Path.Combine(AppContext.BaseDirectory, "policy.json");
Policy policy;
try
{
    policy = Policy.LoadFile(policyPath);
}
catch (PolicyValidationException ex)
{
    // Every error, with its JSON Pointer, line and column; nothing of a rejected policy is used.
    foreach (var error in ex.Errors)
    {
        Console.Error.WriteLine($"{policyPath}:{error}");
    }

    return 1;
}

using var evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = TimeProvider.System });

// What the host knows about the caller; limits with `per: "context.user"` count per user, whatever the session.
var context = new Dictionary<string, JsonElement> { ["user"] = JsonElement.Parse("\"alice\"") };

Decision Decide(string tool, string arguments = "{}", string session = "session-1")
{
    var call = new ToolCall(tool, JsonElement.Parse(arguments)) { SessionId = session, Context = context };
    var decision = evaluator.Evaluate(call);
    Print(tool, decision);
    return decision;
}

Console.WriteLine("-- allowed, default-denied, the seed rule, a numeric deny_if");
Decide("binance_us_get_ticker", """{"symbol": "BTCUSD"}""");
Decide("binance_us_margin_borrow", """{"asset": "USD", "amount": 100}""");
Decide("binance_us_cust_cancel_orders_symbol", """{"symbol": "BTCUSD"}""");
Decide("binance_us_place_order", """{"symbol": "BTCUSD", "side": "buy", "amount": 25000}""");

Console.WriteLine("-- a burst of orders on one session (3 every 10 s)");
for (var i = 0; i < 4; i++)
{
    Decide("binance_us_place_order", """{"symbol": "ETHUSD", "side": "buy", "amount": 100}""", session: "burst");
}

Console.WriteLine("-- a hidden tool");
Decide("binance_us_api_keys_create");

Console.WriteLine("-- a transfer that needs approval");
const string Transfer = """{"amount": 2500, "to": "cold-wallet"}""";
var asked = Decide("binance_us_transfer", Transfer);
foreach (var pending in evaluator.GetPendingApprovals())
{
    Console.WriteLine($"   pending: {pending.Tool} {pending.Arguments} from session '{pending.SessionId}'");
}

// The host shows the request to a person; they approve it, and the agent retries the identical call once.
Console.WriteLine($"   approved: {evaluator.Approve(asked.ApprovalId!)}");
Decide("binance_us_transfer", Transfer);
Decide("binance_us_transfer", Transfer); // an approval is single use

return 0;

static void Print(string tool, Decision decision)
{
    Console.WriteLine($"{tool,-38} {decision.Effect,-15} {decision.Code,-19} {decision.Rule}");
    if (decision.Message is not null)
    {
        Console.WriteLine($"   message: {decision.Message}");
    }

    if (decision.ApprovalId is not null)
    {
        Console.WriteLine($"   approval id: {decision.ApprovalId}");
    }

    if (decision.RetryAfter is { } wait)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   retry after: {wait.TotalSeconds:0.0} s"));
    }
}
