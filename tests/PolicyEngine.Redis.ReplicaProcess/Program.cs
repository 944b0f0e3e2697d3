using System.Globalization;
using System.Text.Json;
using PolicyEngine;
using PolicyEngine.Redis;
using StackExchange.Redis;

// Usage: PolicyEngine.Redis.ReplicaProcess REDIS_CONFIGURATION POLICY_PATH CALLS KEY_PREFIX
// Connects, prints "ready", waits for one line on standard input (so that the replicas start together), then
// decides CALLS calls of the policy's tool "pay" (cost 1) with 16 concurrent callers through EvaluateAsync, and
// prints one line: "decided allowed=N rate_limited=N other=N". Exit code 2 on a usage error.
if (args.Length != 4 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int calls) || calls < 1)
{
    await Console.Error.WriteLineAsync("usage: PolicyEngine.Redis.ReplicaProcess REDIS_CONFIGURATION POLICY_PATH CALLS KEY_PREFIX");
    return 2;
}

const int Callers = 16;
var policy = Policy.LoadFile(args[1]);
using var connection = await ConnectionMultiplexer.ConnectAsync(args[0]);

// A generous timeout: this process checks exactness under load on a shared machine, not latency.
using var store = new RedisStateStore(connection, new RedisStateOptions { KeyPrefix = args[3], Timeout = TimeSpan.FromSeconds(5) });
using var evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions { StateStore = store });
using var arguments = JsonDocument.Parse("""{"amount": 1}""");
var call = new ToolCall("pay", arguments.RootElement) { SessionId = "shared-session" };

Console.WriteLine("ready");
_ = Console.ReadLine();

int allowed = 0, limited = 0, other = 0, next = 0;
var callers = new Task[Callers];
for (int i = 0; i < Callers; i++)
{
    callers[i] = Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) <= calls)
        {
            var decision = await evaluator.EvaluateAsync(call);
            if (decision.IsAllowed)
            {
                Interlocked.Increment(ref allowed);
            }
            else if (string.Equals(decision.Code, DecisionCodes.RateLimited, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref limited);
            }
            else
            {
                Interlocked.Increment(ref other);
            }
        }
    });
}

await Task.WhenAll(callers);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decided allowed={allowed} rate_limited={limited} other={other}"));
return 0;
