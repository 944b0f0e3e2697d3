using Microsoft.Extensions.DependencyInjection;
using PolicyEngine.Redis.Internal;
using StackExchange.Redis;

namespace PolicyEngine.Redis;

// Both overloads take an optional configure, as agreed for the package's API: UseRedis("host:port") and UseRedis() are
// never ambiguous (a string is never an Action), which is what RS0026 guards against.
#pragma warning disable RS0026

/// <summary>Keeps a registered engine's limits and approvals in Redis, shared by every replica: <c>services.AddPolicyEngine(...).UseRedis("localhost:6379")</c>.</summary>
public static class PolicyEngineRedisBuilderExtensions
{
    /// <summary>
    /// Keeps the engine's limit counters and approvals in the Redis that <paramref name="configuration"/> names, over a
    /// connection of the engine's own, made when the engine is built and disposed with the container. The string is
    /// checked here: a malformed one fails the registration. A Redis that cannot be reached at startup does not stop
    /// the start: calls that need state are denied with <c>state_unavailable</c> until it answers.
    /// </summary>
    /// <param name="builder">The engine's builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Adjusts the options (prefix, timeout, clock).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The configuration string or an option is not valid.</exception>
    public static PolicyEngineBuilder UseRedis(this PolicyEngineBuilder builder, string configuration, Action<RedisStateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UseRedis(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Keeps the engine's limit counters and approvals in Redis: over its own connection when
    /// <see cref="RedisStateOptions.Configuration"/> is set, else over the <see cref="IConnectionMultiplexer"/> registered
    /// in the container (which stays the container's). The options are checked here, so a bad one fails the registration;
    /// a missing multiplexer fails the start, naming what to register.
    /// </summary>
    /// <param name="builder">The engine's builder.</param>
    /// <param name="configure">Adjusts the options (configuration, prefix, timeout, clock).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An option or the configuration string is not valid.</exception>
    public static PolicyEngineBuilder UseRedis(this PolicyEngineBuilder builder, Action<RedisStateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RedisStateOptions();
        configure?.Invoke(options);
        var validated = options.Validated();
        if (validated.Configuration is not null)
        {
            _ = RedisStateStore.ParseConfiguration(validated.Configuration); // a malformed string fails now, not at the first call
        }

        // One store per engine, a singleton of the container (keyed by the engine's name), so the container disposes it.
        builder.Services.AddKeyedSingleton(builder.Name, (services, _) => new RedisStoreRegistration(validated, services));
        string? name = builder.Name;
        return builder.ConfigureOptions((services, engineOptions) =>
            engineOptions.StateStore = services.GetRequiredKeyedService<RedisStoreRegistration>(name).Store);
    }
}
#pragma warning restore RS0026
