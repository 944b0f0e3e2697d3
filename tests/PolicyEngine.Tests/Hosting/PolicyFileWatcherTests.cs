using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Hosting;

/// <summary>Hot reload with a real file on disk, driven by a fake clock: every step is a poll the test triggers.</summary>
public sealed class PolicyFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _clock = new();
    private readonly TempPolicyFile _file = new(Policies.DenyAll);
    private readonly PolicyEvaluator _evaluator;
    private readonly CapturingLogger _log = new();
    private readonly PolicyFileWatcher _watcher;
    private readonly List<PolicyReloadEventArgs> _reloaded = [];
    private readonly List<PolicyReloadEventArgs> _failed = [];

    public PolicyFileWatcherTests()
    {
        _evaluator = new PolicyEvaluator(Policy.LoadFile(_file.Path));
        _watcher = new PolicyFileWatcher(
            _file.Path,
            _evaluator,
            new PolicyFileWatcherOptions { TimeProvider = _clock, PollInterval = Poll, Debounce = Debounce, UseFileSystemEvents = false },
            _log);
        _watcher.Reloaded += (_, e) => _reloaded.Add(e);
        _watcher.ReloadFailed += (_, e) => _failed.Add(e);
    }

    [Fact]
    public void A_good_edit_is_swapped_in_once_it_has_settled()
    {
        _file.Write(Policies.AllowAll);

        _clock.Advance(Poll); // seen
        _clock.Advance(Poll);
        _clock.Advance(Poll); // 200 ms after it was seen: still settling
        Assert.Equal(PolicyEffect.Deny, _evaluator.Policy.Default);
        Assert.Empty(_reloaded);

        _clock.Advance(Poll); // 300 ms: settled
        Assert.Equal(PolicyEffect.Allow, _evaluator.Policy.Default);
        var reload = Assert.Single(_reloaded);
        Assert.True(reload.Succeeded);
        Assert.Equal(_evaluator.Policy.Fingerprint, reload.Policy!.Fingerprint);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_edit_keeps_the_last_good_policy_and_reports_every_error()
    {
        var good = _evaluator.Policy;
        _file.Write(Policies.Typo);

        Settle();

        Assert.Same(good, _evaluator.Policy);
        Assert.Empty(_reloaded);
        var failure = Assert.Single(_failed);
        Assert.False(failure.Succeeded);
        Assert.NotEmpty(failure.Errors);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("last good policy", StringComparison.Ordinal));

        // Nothing changes until the file does: the same bad document is reported once.
        Settle();
        Assert.Single(_failed);

        _file.Write(Policies.AllowAll);
        Settle();
        Assert.Equal(PolicyEffect.Allow, _evaluator.Policy.Default);
        Assert.Single(_reloaded);
    }

    [Fact]
    public void An_edit_while_settling_restarts_the_wait_and_only_the_last_content_is_loaded()
    {
        _file.Write(Policies.AllowAll);
        _clock.Advance(Poll);
        _clock.Advance(Poll);

        _file.Write(Policies.OneCallPerMinute); // a second save before the first settled
        _clock.Advance(Poll); // seen again: the wait starts over
        _clock.Advance(Poll);
        Assert.Empty(_reloaded);

        Settle();
        var reload = Assert.Single(_reloaded);
        Assert.Equal(Policy.Parse(Policies.OneCallPerMinute).Fingerprint, reload.Policy!.Fingerprint);
    }

    [Fact]
    public void A_deleted_file_is_reported_and_the_last_good_policy_stays()
    {
        var good = _evaluator.Policy;
        File.Delete(_file.Path);

        Settle();

        Assert.Same(good, _evaluator.Policy);
        var failure = Assert.Single(_failed);
        Assert.IsAssignableFrom<IOException>(failure.Exception);

        _file.Write(Policies.AllowAll);
        Settle();
        Assert.Equal(PolicyEffect.Allow, _evaluator.Policy.Default);
    }

    [Fact]
    public void Saving_the_same_content_again_is_not_a_reload()
    {
        File.SetLastWriteTimeUtc(_file.Path, DateTime.UtcNow.AddMinutes(1));

        Settle();

        Assert.Empty(_reloaded);
        Assert.Empty(_failed);

        // The positive control: the same watcher, still polling, sees a real change.
        _file.Write(Policies.AllowAll);
        Settle();
        Assert.Single(_reloaded);
    }

    [Fact]
    public void A_throwing_subscriber_does_not_stop_the_watcher()
    {
        _watcher.Reloaded += (_, _) => throw new InvalidOperationException("subscriber bug");
        _file.Write(Policies.AllowAll);
        Settle();
        Assert.Equal(PolicyEffect.Allow, _evaluator.Policy.Default);

        _file.Write(Policies.OneCallPerMinute);
        Settle();
        Assert.Equal(2, _reloaded.Count);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public void Limits_in_force_keep_working_across_a_reload()
    {
        var call = new ToolCall("ping") { SessionId = "s" };
        _file.Write(Policies.OneCallPerMinute);
        Settle();
        Assert.True(_evaluator.Evaluate(call).IsAllowed); // spends the minute's one call before the reload

        // An edit elsewhere in the document keeps the limit, and with it what was spent.
        _file.Write(Policies.OneCallPerMinute.Replace("\"deny\"", "\"allow\"", StringComparison.Ordinal));
        Settle();
        Assert.Equal(2, _reloaded.Count);
        Assert.Equal(PolicyEffect.Allow, _evaluator.Policy.Default);
        Assert.Equal(DecisionCodes.RateLimited, _evaluator.Evaluate(call).Code);
    }

    [Fact]
    public async Task With_the_system_clock_and_file_events_an_edit_reaches_a_resolved_engine()
    {
        using var file = new TempPolicyFile(Policies.DenyAll);
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromFile(file.Path, watch: true).ConfigureWatcher(w => w.PollInterval = TimeSpan.FromMilliseconds(50)))
            .BuildServiceProvider();
        var evaluator = provider.GetRequiredService<PolicyEvaluator>();
        var reloaded = new TaskCompletionSource<PolicyReloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.GetRequiredService<PolicyFileWatcher>().Reloaded += (_, e) => reloaded.TrySetResult(e);

        file.Write(Policies.AllowAll);

        // A bounded wait on the event, not a sleep: it returns as soon as the watcher reports.
        var reload = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(reload.Succeeded);
        Assert.Equal(PolicyEffect.Allow, evaluator.Policy.Default);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _evaluator.Dispose();
        _file.Dispose();
    }

    // Long enough for any edit to be seen and to settle.
    private void Settle()
    {
        for (var elapsed = TimeSpan.Zero; elapsed <= Debounce + Poll + Poll; elapsed += Poll)
        {
            _clock.Advance(Poll);
        }
    }
}
