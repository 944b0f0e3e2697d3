namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// Two replicas of samples/McpServer over stateless Streamable HTTP, as separate processes on two loopback ports, sharing
/// one real redis-server: the sample policy's 3 orders a minute per session holds per user across both.
/// </summary>
public sealed class HttpReplicaTests
{
    [Fact]
    public async Task Two_replicas_on_one_Redis_hold_a_per_user_limit_across_both()
    {
        using var redis = TestRedis.Acquire();
        using var policy = new TempPolicyFile(SampleServer.SamplePolicy);
        // A generous store timeout: a loaded test machine must not turn answers into state_unavailable.
        var environment = new Dictionary<string, string> { ["PolicyEngine__Redis"] = redis.EndPoint, ["PolicyEngine__RedisTimeout"] = "00:00:10" };
        string[] arguments = ["--stateless", "--user-header", "X-User"];
        await using var replicaA = await HttpSampleServer.StartAsync(policy.Path, arguments, environment);
        await using var replicaB = await HttpSampleServer.StartAsync(policy.Path, arguments, environment);
        Assert.NotEqual(replicaA.Address, replicaB.Address);
        Assert.Contains("limits and approvals shared (Redis)", replicaB.StandardError, StringComparison.Ordinal);

        // Users unique to this run: a Redis given through POLICYENGINE_REDIS outlives it.
        string run = Guid.NewGuid().ToString("N");
        await using var aliceViaA = await replicaA.ConnectAsync("alice-" + run);
        await using var aliceViaB = await replicaB.ConnectAsync("alice-" + run);
        var alternating = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            alternating.Add(await HttpServerTests.PlaceOrderAsync(i % 2 == 0 ? aliceViaA : aliceViaB));
        }

        Assert.Equal([.. Enumerable.Repeat(DecisionCodes.Allowed, 3), .. Enumerable.Repeat(DecisionCodes.RateLimited, 5)], alternating);

        // At once, 8 calls per replica: still exactly 3 for the user, whichever replica took them.
        await using var bobViaA = await replicaA.ConnectAsync("bob-" + run);
        await using var bobViaB = await replicaB.ConnectAsync("bob-" + run);
        var burst = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => HttpServerTests.PlaceOrderAsync(i % 2 == 0 ? bobViaA : bobViaB)));
        Assert.Equal(3, burst.Count(code => code == DecisionCodes.Allowed));
        Assert.Equal(13, burst.Count(code => code == DecisionCodes.RateLimited));
    }
}
