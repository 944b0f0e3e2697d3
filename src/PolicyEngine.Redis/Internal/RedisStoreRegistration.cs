using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>The store that UseRedis registers for one engine: a container singleton, disposed with it (and its own connection, if it made one).</summary>
internal sealed class RedisStoreRegistration : IDisposable
{
    public RedisStoreRegistration(RedisStateOptions options, IServiceProvider services)
    {
        if (options.Configuration is not null)
        {
            Store = RedisStateStore.Connect(options);
            return;
        }

        var connection = services.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
            "UseRedis() without a configuration string takes the IConnectionMultiplexer from the container, and none is registered: " +
            "register one (services.AddSingleton<IConnectionMultiplexer>(...)) or call UseRedis(\"host:port\").");
        Store = new RedisStateStore(connection, options);
    }

    public RedisStateStore Store { get; }

    public void Dispose() => Store.Dispose();
}
