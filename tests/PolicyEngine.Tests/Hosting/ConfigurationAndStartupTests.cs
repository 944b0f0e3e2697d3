using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Hosting;

/// <summary><c>AddPolicyEngine(IConfiguration)</c>, relative paths against the content root, and validation at host start.</summary>
public sealed class ConfigurationAndStartupTests
{
    [Fact]
    public async Task Settings_come_from_the_section_and_a_relative_path_from_the_content_root()
    {
        using var file = new TempPolicyFile(Policies.OneCallPerMinute);
        using var host = BuildHost(file.Directory, new()
        {
            ["PolicyEngine:Path"] = "policy.json",
            ["PolicyEngine:Watch"] = "true",
            ["PolicyEngine:MaxTrackedLimitKeys"] = "1",
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        var evaluator = host.Services.GetRequiredService<PolicyEvaluator>();
        var watcher = host.Services.GetRequiredService<PolicyFileWatcher>();

        Assert.Equal(file.Path, watcher.Path);
        Assert.Equal(DecisionCodes.Allowed, evaluator.Evaluate(Ping("a")).Code);
        // One tracked counter at most: a second session's counter does not fit.
        Assert.Equal(DecisionCodes.CapacityExceeded, evaluator.Evaluate(Ping("b")).Code);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_invalid_policy_stops_the_host_start_with_the_file_and_every_error()
    {
        using var file = new TempPolicyFile(Policies.Typo);
        using var host = BuildHost(file.Directory, new() { ["PolicyEngine:Path"] = "policy.json" });

        var e = await Assert.ThrowsAsync<PolicyValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(file.Path, e.FilePath);
        Assert.Equal(
            [$"{file.Path}:1:1: /default: A policy document needs 'default'.", $"{file.Path}:1:19: /defualt: Unknown key 'defualt' in the document; allowed: version, default, description, mode, hide, all_tools, tools, approval_ttl."],
            e.ErrorLines());
        Assert.Contains($"The policy file {file.Path} has 2 error(s):", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.ErrorLines().Last(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_policy_stops_the_host_start_before_other_hosted_services_start()
    {
        using var root = new TempPolicyFile(Policies.AllowAll);
        var started = new StartRecorder();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root.Directory, DisableDefaults = true });
        builder.Services.AddHostedService(_ => started);
        builder.Services.AddPolicyEngine(e => e.FromFile("missing.json"));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"The policy file {root.Sibling("missing.json")} does not exist: the relative path 'missing.json' is resolved against the host's content root (IHostEnvironment.ContentRootPath), {root.Directory}; give an absolute path or change the content root.",
            e.Message);
        Assert.False(started.Started);
    }

    [Fact]
    public void Without_a_host_a_relative_path_is_resolved_against_the_application_directory()
    {
        using var provider = new ServiceCollection().AddPolicyEngine(e => e.FromFile("no-such-policy.json")).BuildServiceProvider();

        var e = Assert.Throws<FileNotFoundException>(() => provider.GetRequiredService<PolicyEvaluator>());

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "no-such-policy.json"), e.FileName);
        Assert.Contains("AppContext.BaseDirectory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_named_as_one()
    {
        using var file = new TempPolicyFile(Policies.AllowAll);
        using var provider = new ServiceCollection().AddPolicyEngine(e => e.FromFile(file.Directory)).BuildServiceProvider();

        var e = Assert.Throws<FileNotFoundException>(() => provider.GetRequiredService<PolicyEvaluator>());

        Assert.Equal($"The policy file {file.Directory} is a directory, not a file.", e.Message);
    }

    [Theory]
    [InlineData("Wacth", "true", "Policy engine configuration: PolicyEngine:Wacth is not a setting; the settings are Path, Watch, Refunds, MaxTrackedLimitKeys, MaxPendingApprovals, MaxPendingApprovalsPerSession, MaxArgumentValues, MaxArgumentStringBytes, MaxResolvedToolNames.")]
    [InlineData("Watch", "yes", "Policy engine configuration: PolicyEngine:Watch is 'yes', not true or false.")]
    [InlineData("Refunds", "1", "Policy engine configuration: PolicyEngine:Refunds is '1', not None, CostLimits, AllLimits.")]
    [InlineData("MaxTrackedLimitKeys", "0", "Policy engine configuration: PolicyEngine:MaxTrackedLimitKeys is '0', not a whole number of at least 1.")]
    [InlineData("MaxPendingApprovals", "1e3", "Policy engine configuration: PolicyEngine:MaxPendingApprovals is '1e3', not a whole number of at least 1.")]
    public void A_bad_setting_is_named_when_the_engine_is_registered(string key, string value, string message)
    {
        var section = Section(new() { ["PolicyEngine:Path"] = "policy.json", ["PolicyEngine:" + key] = value });

        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPolicyEngine(section));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(null, true, false)]
    [InlineData("none", false, false)]
    [InlineData("AllLimits", true, true)]
    public void Refunds_start_from_cost_limits_and_come_from_the_section(string? refunds, bool budgetBack, bool countBack)
    {
        using var file = new TempPolicyFile("""
            {"version": "1", "default": "allow", "tools": {
              "pay": {"limits": [{"max": 10, "window": 60, "cost": "args.n"}]},
              "ping": {"rate_limit": {"max": 1, "window": 60}}}}
            """);
        var settings = new Dictionary<string, string?> { ["PolicyEngine:Path"] = file.Path };
        if (refunds is not null)
        {
            settings["PolicyEngine:Refunds"] = refunds;
        }

        using var provider = new ServiceCollection().AddPolicyEngine(Section(settings)).BuildServiceProvider();
        var evaluator = provider.GetRequiredService<PolicyEvaluator>();
        var pay = new ToolCall("pay", JsonDocument.Parse("""{"n": 10}""").RootElement) { SessionId = "s" };
        var paid = evaluator.Evaluate(in pay);
        var pinged = evaluator.Evaluate(Ping("s"));

        Assert.Equal((budgetBack, countBack), (evaluator.Refund(in paid), evaluator.Refund(in pinged)));
    }

    [Fact]
    public void The_path_is_required()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPolicyEngine("trading", Section(new() { ["PolicyEngine:Watch"] = "false" })));

        Assert.StartsWith("Policy engine configuration: PolicyEngine:Path is missing", e.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(string contentRoot, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPolicyEngine(builder.Configuration.GetSection("PolicyEngine"));
        return builder.Build();
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("PolicyEngine");

    private static ToolCall Ping(string session) => new("ping", JsonElement.Parse("{}")) { SessionId = session };

    private sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
