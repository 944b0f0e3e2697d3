using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PolicyEngine;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PolicyEvaluator"/> singletons, following the keyed pattern of Polly's <c>AddResiliencePipeline</c>.</summary>
public static class PolicyEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default policy engine: a singleton <see cref="PolicyEvaluator"/> (and, for a watched file, a
    /// <see cref="PolicyFileWatcher"/>). The description is checked now; the policy is read and validated when the host
    /// starts (a missing or invalid policy stops the start), or, without a host, when the evaluator is first resolved.
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

    /// <summary>
    /// Registers the default policy engine from configuration, as in
    /// <c>services.AddPolicyEngine(builder.Configuration.GetSection("PolicyEngine"))</c>. The section holds <c>Path</c>
    /// (the policy file, required; a relative path is resolved against the host's content root), <c>Watch</c>
    /// (<c>true</c> to reload the file when it changes; default <c>false</c>) and any cap of
    /// <see cref="PolicyEngineOptions"/> by its name (<c>MaxTrackedLimitKeys</c>, <c>MaxPendingApprovals</c>, ...).
    /// The section is read and checked now; the policy when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">A key is unknown, <c>Path</c> is missing, or a value has the wrong form;
    /// the message names the key.</exception>
    public static IServiceCollection AddPolicyEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, null, builder => PolicyEngineConfiguration.Apply(configuration, builder));
    }

    /// <summary>Registers a named policy engine from configuration (see <see cref="AddPolicyEngine(IServiceCollection, IConfiguration)"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The service key.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">A key is unknown, <c>Path</c> is missing, a value has the wrong form,
    /// or the name is already registered.</exception>
    public static IServiceCollection AddPolicyEngine(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, name, builder => PolicyEngineConfiguration.Apply(configuration, builder));
    }

    private static IServiceCollection Register(IServiceCollection services, string? name, Action<PolicyEngineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(PolicyEngineInstance) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"A policy engine named '{name ?? "(default)"}' is already registered.");
        }

        var builder = new PolicyEngineBuilder(name, services);
        configure(builder);
        builder.Validate();

        // A null key registers an ordinary (unkeyed) service.
        services.AddKeyedSingleton(name, (provider, _) => builder.Build(provider));
        services.AddKeyedSingleton(name, (provider, key) => provider.GetRequiredKeyedService<PolicyEngineInstance>(key).Evaluator);
        if (builder.WatchFile)
        {
            services.AddKeyedSingleton(name, (provider, key) => provider.GetRequiredKeyedService<PolicyEngineInstance>(key).Watcher!);
        }

        // Built when a host starts, so that a bad policy stops the start (a container without a host builds it when resolved).
        services.AddSingleton(new PolicyEngineRegistration(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PolicyEngineStartup>());

        return services;
    }
}
