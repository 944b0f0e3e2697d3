using Microsoft.Extensions.DependencyInjection;
using PolicyEngine.Redis.Internal;
using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Tests.Hosting;

/// <summary>services.AddPolicyEngine(...).UseRedis(...): one store per engine, shared state across containers, disposed with the container, bad settings refused early.</summary>
public sealed class UseRedisTests(RedisFixture redis)
{
    private const string Policy = """{"version": "1", "default": "allow", "tools": {"trade": {"limits": [{"max": 1, "window": 60, "per": "global"}]}}}""";

    private static ServiceProvider Replica(Action<PolicyEngineBuilder> useRedis, IConnectionMultiplexer? container = null)
    {
        var services = new ServiceCollection();
        if (container is not null)
        {
            services.AddSingleton(container);
        }

        services.AddPolicyEngine(engine => useRedis(engine.FromJson(Policy)));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Two_containers_on_one_redis_share_a_limit()
    {
        redis.Require();
        string prefix = RedisFixture.NewPrefix();
        using var a = Replica(engine => engine.UseRedis(redis.EndPoint!, o => { o.KeyPrefix = prefix; o.Timeout = TimeSpan.FromSeconds(10); }));
        using var b = Replica(engine => engine.UseRedis(o => { o.KeyPrefix = prefix; o.Timeout = TimeSpan.FromSeconds(10); }), redis.Connection);
        var first = await a.GetRequiredService<PolicyEvaluator>().EvaluateAsync(new ToolCall("trade"), TestContext.Current.CancellationToken);
        var second = await b.GetRequiredService<PolicyEvaluator>().EvaluateAsync(new ToolCall("trade"), TestContext.Current.CancellationToken);
        Assert.Equal(DecisionCodes.Allowed, first.Code);
        Assert.Equal(DecisionCodes.RateLimited, second.Code);
        Assert.IsType<RedisStateStore>(b.GetRequiredKeyedService<RedisStoreRegistration>(null).Store);
    }

    [Fact]
    public void The_store_and_its_own_connection_are_disposed_with_the_container()
    {
        redis.Require();
        var provider = Replica(engine => engine.UseRedis(redis.EndPoint!));
        _ = provider.GetRequiredService<PolicyEvaluator>();
        var store = provider.GetRequiredKeyedService<RedisStoreRegistration>(null).Store;
        Assert.True(store.IsConnectedForTests);
        provider.Dispose();
        Assert.False(store.IsConnectedForTests);
    }

    [Fact]
    public void A_container_connection_stays_the_containers()
    {
        var connection = redis.Require();
        var provider = Replica(engine => engine.UseRedis(), connection);
        _ = provider.GetRequiredService<PolicyEvaluator>();
        provider.Dispose();
        Assert.True(connection.IsConnected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abortConnect=false")]
    [InlineData("localhost:6379,connectTimeout=soon")]
    public void A_bad_configuration_string_fails_the_registration(string configuration)
    {
        var ex = Assert.Throws<ArgumentException>(() => Replica(engine => engine.UseRedis(configuration)));
        Assert.Contains("Redis configuration string", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a{b")]
    [InlineData("a b")]
    public void A_bad_prefix_fails_the_registration(string prefix)
    {
        var ex = Assert.Throws<ArgumentException>(() => Replica(engine => engine.UseRedis("localhost:1", o => o.KeyPrefix = prefix)));
        Assert.Contains("KeyPrefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_timeout_fails_the_registration() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Replica(engine => engine.UseRedis("localhost:1", o => o.Timeout = TimeSpan.Zero)));

    [Fact]
    public void Without_a_configuration_or_a_container_connection_the_start_names_what_to_register()
    {
        using var provider = Replica(engine => engine.UseRedis());
        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PolicyEvaluator>());
        Assert.Contains("IConnectionMultiplexer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_does_not_stop_the_start_and_denies_with_state_unavailable()
    {
        using var provider = Replica(engine => engine.UseRedis("127.0.0.1:1,connectTimeout=200", o => o.Timeout = TimeSpan.FromMilliseconds(200)));
        var evaluator = provider.GetRequiredService<PolicyEvaluator>();
        var decision = await evaluator.EvaluateAsync(new ToolCall("trade"), TestContext.Current.CancellationToken);
        Assert.Equal(DecisionCodes.StateUnavailable, decision.Code);
        Assert.Equal(PolicyEffect.Allow, (await evaluator.EvaluateAsync(new ToolCall("other"), TestContext.Current.CancellationToken)).Effect); // no state needed
    }
}
