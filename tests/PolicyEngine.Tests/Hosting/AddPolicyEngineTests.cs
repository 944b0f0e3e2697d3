using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Hosting;

public sealed class AddPolicyEngineTests
{
    [Fact]
    public void Default_engine_is_a_singleton_built_from_the_string()
    {
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll))
            .BuildServiceProvider();

        var first = provider.GetRequiredService<PolicyEvaluator>();
        Assert.Same(first, provider.GetRequiredService<PolicyEvaluator>());
        Assert.Equal(Policy.Parse(Policies.AllowAll).Fingerprint, first.Policy.Fingerprint);
    }

    [Fact]
    public void Named_engines_are_keyed_and_independent()
    {
        using var provider = new ServiceCollection()
            .AddPolicyEngine("trading", e => e.FromJson(Policies.AllowAll))
            .AddPolicyEngine("payments", e => e.FromJson(Policies.DenyAll))
            .BuildServiceProvider();

        var trading = provider.GetRequiredKeyedService<PolicyEvaluator>("trading");
        var payments = provider.GetRequiredKeyedService<PolicyEvaluator>("payments");

        Assert.NotSame(trading, payments);
        Assert.Equal(PolicyEffect.Allow, trading.Policy.Default);
        Assert.Equal(PolicyEffect.Deny, payments.Policy.Default);
        Assert.Null(provider.GetService<PolicyEvaluator>());
    }

    [Fact]
    public void Named_engine_is_injected_with_FromKeyedServices()
    {
        using var provider = new ServiceCollection()
            .AddPolicyEngine("payments", e => e.FromJson(Policies.DenyAll))
            .AddSingleton<PaymentsGate>()
            .BuildServiceProvider();

        Assert.Same(provider.GetRequiredKeyedService<PolicyEvaluator>("payments"), provider.GetRequiredService<PaymentsGate>().Evaluator);
    }

    [Fact]
    public void Options_start_from_the_containers_TimeProvider_and_IMemoryCache()
    {
        var clock = new FakeTimeProvider();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        PolicyEngineOptions? seen = null;
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IMemoryCache>(cache)
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll).ConfigureOptions(o => seen = o))
            .BuildServiceProvider();

        provider.GetRequiredService<PolicyEvaluator>();

        Assert.NotNull(seen);
        Assert.Same(clock, seen.TimeProvider);
        Assert.Same(cache, seen.LimitCache);
    }

    [Fact]
    public void Without_registrations_options_use_the_system_clock_and_a_private_cache()
    {
        PolicyEngineOptions? seen = null;
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll).ConfigureOptions(o => seen = o))
            .BuildServiceProvider();

        provider.GetRequiredService<PolicyEvaluator>();

        Assert.Same(TimeProvider.System, seen!.TimeProvider);
        Assert.Null(seen.LimitCache);
    }

    [Fact]
    public void Limits_count_on_the_containers_clock()
    {
        var clock = new FakeTimeProvider();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddPolicyEngine(e => e.FromJson(Policies.OneCallPerMinute))
            .BuildServiceProvider();
        var evaluator = provider.GetRequiredService<PolicyEvaluator>();
        var call = new ToolCall("ping") { SessionId = "s" };

        Assert.True(evaluator.Evaluate(call).IsAllowed);
        Assert.Equal(DecisionCodes.RateLimited, evaluator.Evaluate(call).Code);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(evaluator.Evaluate(call).IsAllowed);
    }

    [Fact]
    public void Policy_comes_from_a_file()
    {
        using var file = new TempPolicyFile(Policies.DenyAll);
        using var provider = new ServiceCollection().AddPolicyEngine(e => e.FromFile(file.Path)).BuildServiceProvider();

        Assert.Equal(PolicyEffect.Deny, provider.GetRequiredService<PolicyEvaluator>().Policy.Default);
        Assert.Null(provider.GetService<PolicyFileWatcher>());
    }

    [Fact]
    public void Policy_comes_from_a_stream_which_is_disposed_after_reading()
    {
        var stream = new TrackingStream(Encoding.UTF8.GetBytes(Policies.DenyAll));
        using var provider = new ServiceCollection().AddPolicyEngine(e => e.FromStream(_ => stream)).BuildServiceProvider();

        Assert.Equal(PolicyEffect.Deny, provider.GetRequiredService<PolicyEvaluator>().Policy.Default);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public void Policy_comes_from_a_delegate_given_the_container()
    {
        var policy = Policy.Parse(Policies.AllowAll);
        IServiceProvider? seen = null;
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromPolicy(sp => { seen = sp; return policy; }))
            .BuildServiceProvider();

        Assert.Same(policy, provider.GetRequiredService<PolicyEvaluator>().Policy);
        Assert.NotNull(seen);
    }

    [Fact]
    public void A_builder_without_a_source_fails_at_registration()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPolicyEngine(_ => { }));
        Assert.Contains("no policy source", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_sources_are_rejected()
    {
        Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddPolicyEngine(e => e.FromJson(Policies.AllowAll).FromJson(Policies.DenyAll)));
    }

    [Fact]
    public void A_name_is_registered_once()
    {
        var services = new ServiceCollection().AddPolicyEngine("a", e => e.FromJson(Policies.AllowAll));

        Assert.Throws<InvalidOperationException>(() => services.AddPolicyEngine("a", e => e.FromJson(Policies.DenyAll)));
        services.AddPolicyEngine("b", e => e.FromJson(Policies.DenyAll));
    }

    [Fact]
    public void A_bad_watcher_option_fails_at_registration()
    {
        using var file = new TempPolicyFile(Policies.AllowAll);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddPolicyEngine(
            e => e.FromFile(file.Path, watch: true).ConfigureWatcher(w => w.PollInterval = TimeSpan.Zero)));
    }

    [Fact]
    public void An_invalid_policy_fails_when_the_engine_is_resolved_with_every_error()
    {
        using var provider = new ServiceCollection().AddPolicyEngine(e => e.FromJson(Policies.Typo)).BuildServiceProvider();

        var e = Assert.Throws<PolicyValidationException>(() => provider.GetRequiredService<PolicyEvaluator>());
        Assert.NotEmpty(e.Errors);
    }

    [Fact]
    public void A_bad_engine_option_fails_when_the_engine_is_resolved()
    {
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll).ConfigureOptions(o => o.MaxTrackedLimitKeys = 0))
            .BuildServiceProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<PolicyEvaluator>());
    }

    [Fact]
    public void A_watched_file_registers_its_watcher_under_the_same_name()
    {
        using var file = new TempPolicyFile(Policies.AllowAll);
        using var provider = new ServiceCollection()
            .AddPolicyEngine("trading", e => e.FromFile(file.Path, watch: true).ConfigureWatcher(w => w.UseFileSystemEvents = false))
            .BuildServiceProvider();

        var watcher = provider.GetRequiredKeyedService<PolicyFileWatcher>("trading");
        Assert.Equal(Path.GetFullPath(file.Path), watcher.Path);
        Assert.Null(provider.GetService<PolicyFileWatcher>());
    }

    private sealed class PaymentsGate([FromKeyedServices("payments")] PolicyEvaluator evaluator)
    {
        public PolicyEvaluator Evaluator { get; } = evaluator;
    }

    private sealed class TrackingStream(byte[] content) : MemoryStream(content)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
