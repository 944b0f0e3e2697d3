using PolicyEngine;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PolicyEvaluator"/> singletons, following the keyed pattern of Polly's <c>AddResiliencePipeline</c>.</summary>
public static class PolicyEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default policy engine: a singleton <see cref="PolicyEvaluator"/> (and, for a watched file, a
    /// <see cref="PolicyFileWatcher"/>). The description is checked now; the policy is read when the evaluator is first resolved.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Chooses the policy source and options.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">No source or two sources were chosen, or the default engine is already registered.</exception>
    public static IServiceCollection AddPolicyEngine(this IServiceCollection services, Action<PolicyEngineBuilder> configure) =>
        Register(services, null, configure);

    /// <summary>
    /// Registers a named policy engine, one per MCP server or grant, as keyed singletons: inject it with
    /// <c>[FromKeyedServices("name")] PolicyEvaluator</c> or <c>GetRequiredKeyedService&lt;PolicyEvaluator&gt;("name")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The service key.</param>
    /// <param name="configure">Chooses the policy source and options.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">No source or two sources were chosen, or the name is already registered.</exception>
    public static IServiceCollection AddPolicyEngine(this IServiceCollection services, string name, Action<PolicyEngineBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Register(services, name, configure);
    }

    private static IServiceCollection Register(IServiceCollection services, string? name, Action<PolicyEngineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(PolicyEngineInstance) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"A policy engine named '{name ?? "(default)"}' is already registered.");
        }

        var builder = new PolicyEngineBuilder(name);
        configure(builder);
        builder.Validate();

        // A null key registers an ordinary (unkeyed) service.
        services.AddKeyedSingleton(name, (provider, _) => builder.Build(provider));
        services.AddKeyedSingleton(name, (provider, key) => provider.GetRequiredKeyedService<PolicyEngineInstance>(key).Evaluator);
        if (builder.WatchFile)
        {
            services.AddKeyedSingleton(name, (provider, key) => provider.GetRequiredKeyedService<PolicyEngineInstance>(key).Watcher!);
        }

        return services;
    }
}
