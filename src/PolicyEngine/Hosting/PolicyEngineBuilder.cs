using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PolicyEngine;

/// <summary>
/// Describes one policy engine registered with <c>AddPolicyEngine</c>: where its policy comes from, its
/// <see cref="PolicyEngineOptions"/> and, for a file, whether edits are reloaded. Exactly one source must be chosen;
/// the description is checked when <c>AddPolicyEngine</c> returns, and the engine is built when the host starts (or
/// when first resolved, without a host), so that a missing or invalid policy stops the start.
/// </summary>
public sealed partial class PolicyEngineBuilder
{
    private readonly List<Action<IServiceProvider, PolicyEngineOptions>> _configureOptions = [];
    private readonly List<Action<PolicyFileWatcherOptions>> _configureWatcher = [];
    private Func<IServiceProvider, Policy>? _source;
    private string? _sourceDescription;

    internal PolicyEngineBuilder(string? name, IServiceCollection services)
    {
        Name = name;
        Services = services;
    }

    /// <summary>
    /// The container the engine is registered in, for extensions (such as a shared state store) that register
    /// services of their own, disposed with it.
    /// </summary>
    public IServiceCollection Services { get; }

    /// <summary>The service key of a named engine, or <see langword="null"/> for the default one.</summary>
    public string? Name { get; }

    /// <summary>
    /// The policy file as given, when the source is a file. A relative path is resolved when the engine is built:
    /// against the host's content root (<see cref="IHostEnvironment.ContentRootPath"/>) when the container has an
    /// <see cref="IHostEnvironment"/>, else against <see cref="AppContext.BaseDirectory"/>; never the current directory,
    /// which a server started by a desktop client does not choose.
    /// </summary>
    public string? FilePath { get; private set; }

    /// <summary>Whether the policy file is watched and reloaded when it changes.</summary>
    public bool WatchFile { get; private set; }

    /// <summary>Reads the policy from a file when the engine is built, and optionally keeps it in step with edits.</summary>
    /// <param name="path">The file; a relative path is resolved against the host's content root, or
    /// <see cref="AppContext.BaseDirectory"/> without a host (see <see cref="FilePath"/>).</param>
    /// <param name="watch">Whether to reload the file when it changes (see <see cref="PolicyFileWatcher"/>).</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder FromFile(string path, bool watch = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SetSource(services => PolicyFiles.Load(path, services), "a file");
        FilePath = path;
        WatchFile = watch;
        return this;
    }

    /// <summary>Compiles the policy from document text when the engine is built.</summary>
    /// <param name="json">The policy document.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SetSource(_ => Policy.Parse(json), "a string");
    }

    /// <summary>Reads the policy from a stream opened when the engine is built; the stream is disposed after reading.</summary>
    /// <param name="openStream">Opens a stream of UTF-8 JSON.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder FromStream(Func<IServiceProvider, Stream> openStream)
    {
        ArgumentNullException.ThrowIfNull(openStream);
        return SetSource(
            services =>
            {
                using var stream = openStream(services) ?? throw new InvalidOperationException("The policy stream factory returned null.");
                return Policy.Load(stream);
            },
            "a stream");
    }

    /// <summary>Takes the policy from a delegate run when the engine is built.</summary>
    /// <param name="factory">Returns the compiled policy.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder FromPolicy(Func<IServiceProvider, Policy> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return SetSource(
            services => factory(services) ?? throw new InvalidOperationException("The policy factory returned null."),
            "a delegate");
    }

    /// <summary>
    /// Adjusts the evaluator's options. They start from the container: its <see cref="TimeProvider"/> and
    /// <see cref="IMemoryCache"/> when registered, and <see cref="PolicyEngineOptions.Refunds"/> is
    /// <see cref="RefundScope.CostLimits"/>. Later calls run after earlier ones.
    /// </summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder ConfigureOptions(Action<PolicyEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureOptions.Add((_, options) => configure(options));
        return this;
    }

    /// <summary>Adjusts the options with access to the container.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder ConfigureOptions(Action<IServiceProvider, PolicyEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureOptions.Add(configure);
        return this;
    }

    /// <summary>Adjusts how a watched file is polled and debounced. The clock defaults to the container's <see cref="TimeProvider"/>.</summary>
    /// <param name="configure">Changes the watcher options.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder ConfigureWatcher(Action<PolicyFileWatcherOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureWatcher.Add(configure);
        return this;
    }

    internal void Validate()
    {
        if (_source is null)
        {
            throw new InvalidOperationException(
                $"The policy engine '{Name ?? "(default)"}' has no policy source: call FromFile, FromJson, FromStream or FromPolicy.");
        }

        if (WatchFile)
        {
            // Built and checked now so that a bad poll interval fails at registration, not at first use.
            BuildWatcherOptions(TimeProvider.System);
        }
    }

    internal PolicyEngineInstance Build(IServiceProvider services)
    {
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var options = new PolicyEngineOptions
        {
            TimeProvider = timeProvider,
            LimitCache = services.GetService<IMemoryCache>(),
            Refunds = RefundScope.CostLimits, // a hosted engine serves tools that fail: their budgets are given back (the MCP filter does)
            Logger = services.GetService<ILoggerFactory>()?.CreateLogger<PolicyEvaluator>(),
        };
        foreach (var configure in _configureOptions)
        {
            configure(services, options);
        }

        var evaluator = new PolicyEvaluator(_source!(services), options);
        AttachCandidate(evaluator, services);
        if (!WatchFile)
        {
            return new PolicyEngineInstance(evaluator, null);
        }

        try
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger<PolicyFileWatcher>();
            var watcher = new PolicyFileWatcher(PolicyFiles.Resolve(FilePath!, services), evaluator, BuildWatcherOptions(timeProvider), logger);
            return new PolicyEngineInstance(evaluator, watcher);
        }
        catch
        {
            evaluator.Dispose();
            throw;
        }
    }

    private PolicyFileWatcherOptions BuildWatcherOptions(TimeProvider timeProvider)
    {
        var options = new PolicyFileWatcherOptions { TimeProvider = timeProvider };
        foreach (var configure in _configureWatcher)
        {
            configure(options);
        }

        return options.Validated();
    }

    private PolicyEngineBuilder SetSource(Func<IServiceProvider, Policy> source, string description)
    {
        if (_source is not null)
        {
            throw new InvalidOperationException(
                $"The policy engine '{Name ?? "(default)"}' already reads its policy from {_sourceDescription}; choose one source.");
        }

        _source = source;
        _sourceDescription = description;
        return this;
    }
}
