using System.Diagnostics;
using System.Diagnostics.Metrics;

using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Telemetry;

public sealed class PolicyTelemetryTests
{
    [Fact]
    public void Decisions_are_counted_by_effect_code_and_the_deciding_entry_and_timed()
    {
        var tool = "metrics_" + Guid.NewGuid().ToString("N");
        var counts = new List<(long Value, Dictionary<string, object?> Tags)>();
        var durations = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PolicyEngineDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = ToMap(tags);
            if (instrument.Name == PolicyEngineDiagnostics.DecisionsCounter && Equals(map["tool"], tool))
            {
                lock (counts)
                {
                    counts.Add((value, map));
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == PolicyEngineDiagnostics.EvaluateDuration && Equals(ToMap(tags)["tool"], tool))
            {
                lock (durations)
                {
                    durations.Add(value);
                }
            }
        });
        listener.Start();
        using var evaluator = new PolicyEvaluator(Policy.Parse(Denying(tool)));

        var watch = Stopwatch.StartNew();
        new PolicyTelemetry().Evaluate(evaluator, new ToolCall(tool));
        var elapsed = watch.Elapsed.TotalSeconds;

        var (count, map) = Assert.Single(counts);
        Assert.Equal(1, count);
        Assert.Equal("deny", map["effect"]);
        Assert.Equal(DecisionCodes.Denied, map["code"]);
        var duration = Assert.Single(durations);
        Assert.InRange(duration, 0, elapsed); // in seconds, as the instrument's unit says, and within the call
    }

    [Fact]
    public void A_denial_adds_an_event_to_the_evaluation_activity()
    {
        var tool = "activity_" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = ListenToActivities(stopped);
        using var evaluator = new PolicyEvaluator(Policy.Parse(Denying(tool)));

        new PolicyTelemetry().Evaluate(evaluator, new ToolCall(tool));

        Activity activity;
        lock (stopped)
        {
            activity = Assert.Single(stopped, a => Equals(a.GetTagItem("policyengine.tool"), tool));
        }

        var denied = Assert.Single(activity.Events, e => e.Name == PolicyEngineDiagnostics.DeniedEvent);
        Assert.Contains(denied.Tags, t => t.Key == "policyengine.code" && Equals(t.Value, DecisionCodes.Denied));
    }

    [Fact]
    public void EvaluateAsync_records_as_Evaluate_does_and_completes_synchronously_in_memory()
    {
        var tool = "async_" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = ListenToActivities(stopped);
        using var evaluator = new PolicyEvaluator(Policy.Parse(Denying(tool)));

        var pending = new PolicyTelemetry().EvaluateAsync(evaluator, new ToolCall(tool), TestContext.Current.CancellationToken);

        Assert.Equal(DecisionCodes.Denied, Completed(pending).Code);
        Activity activity;
        lock (stopped)
        {
            activity = Assert.Single(stopped, a => Equals(a.GetTagItem("policyengine.tool"), tool));
        }

        Assert.Contains(activity.Events, e => e.Name == PolicyEngineDiagnostics.DeniedEvent);
    }

    [Fact]
    public async Task EvaluateAsync_over_a_slow_store_records_on_its_own_activity_and_leaves_the_callers_current()
    {
        var tool = "slow_" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = ListenToActivities(stopped);
        using var evaluator = new PolicyEvaluator(
            Policy.Parse($$"""{ "version": "1", "default": "deny", "tools": { "{{tool}}": { "rate_limit": { "max": 1, "window": 60 } } } }"""),
            new PolicyEngineOptions { StateStore = new ControlledStore { Slow = true } });
        var telemetry = new PolicyTelemetry();
        var call = new ToolCall(tool) { SessionId = "s" };
        using var outer = new Activity("outer").Start();

        Assert.True((await telemetry.EvaluateAsync(evaluator, call, TestContext.Current.CancellationToken)).IsAllowed);
        var pending = telemetry.EvaluateAsync(evaluator, call, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        Assert.Same(outer, Activity.Current); // not the evaluation's activity, still running
        Assert.Equal(DecisionCodes.RateLimited, (await pending).Code);

        Assert.Same(outer, Activity.Current);
        Activity[] evaluations;
        lock (stopped)
        {
            evaluations = [.. stopped.Where(a => Equals(a.GetTagItem("policyengine.tool"), tool))];
        }

        Assert.Equal(2, evaluations.Length);
        Assert.All(evaluations, a => Assert.Equal(outer.SpanId, a.ParentSpanId));
        Assert.Single(evaluations, a => a.Events.Any(e => e.Name == PolicyEngineDiagnostics.DeniedEvent));
    }

    [Fact]
    public void EvaluateAsync_in_memory_allocates_no_more_than_Evaluate()
    {
        // In this class: its tests run one at a time, and no other class of this assembly listens to the meter.
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "deny", "tools": { "ping": { "rate_limit": { "max": 1000000, "window": 60 } } } }
            """));
        var telemetry = new PolicyTelemetry();
        var call = new ToolCall("ping") { SessionId = "s" };
        long sync = long.MaxValue, async = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = telemetry.Evaluate(evaluator, in call);
            long middle = GC.GetAllocatedBytesForCurrentThread();
            var pending = telemetry.EvaluateAsync(evaluator, call, CancellationToken.None);
            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(Completed(pending).IsAllowed);
            sync = Math.Min(sync, middle - before);
            async = Math.Min(async, after - middle);
        }

        Assert.True(async <= sync, $"EvaluateAsync allocated {async} B, Evaluate {sync} B");
    }

    [Fact]
    public void An_allowed_call_adds_no_denial_event()
    {
        var tool = "allowed_" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = ListenToActivities(stopped);
        using var evaluator = new PolicyEvaluator(Policy.Parse($$"""{ "version": "1", "default": "deny", "tools": { "{{tool}}": {} } }"""));

        Assert.True(new PolicyTelemetry().Evaluate(evaluator, new ToolCall(tool)).IsAllowed);

        lock (stopped)
        {
            Assert.Empty(Assert.Single(stopped, a => Equals(a.GetTagItem("policyengine.tool"), tool)).Events);
        }
    }

    [Fact]
    public void Client_tool_names_never_become_tag_values_only_entry_keys_and_fixed_words()
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PolicyEngineDiagnostics.Name && instrument.Name == PolicyEngineDiagnostics.DecisionsCounter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, measured, _) =>
        {
            lock (tags)
            {
                tags.Add((string)ToMap(measured)["tool"]!);
            }
        });
        listener.Start();
        using var evaluator = new PolicyEvaluator(Policy.Parse("""
            { "version": "1", "default": "deny", "hide": ["admin_*"],
              "tools": { "read_*": {}, "a/b": {}, "ask": { "action": "require_approval" } },
              "all_tools": { "deny_if": [{ "conditions": [{ "path": "args.x", "op": "eq", "value": 1 }] }] } }
            """));
        var telemetry = new PolicyTelemetry();
        using var flagged = System.Text.Json.JsonDocument.Parse("""{ "x": 1 }""");

        for (var i = 0; i < 1000; i++)
        {
            telemetry.Evaluate(evaluator, new ToolCall($"bad name {i} " + new string('x', i)));
            telemetry.Evaluate(evaluator, new ToolCall($"unlisted_{i}"));
            telemetry.Evaluate(evaluator, new ToolCall($"admin_{i}"));
            telemetry.Evaluate(evaluator, new ToolCall($"read_{i}"));
        }

        telemetry.Evaluate(evaluator, new ToolCall("a/b"));
        telemetry.Evaluate(evaluator, new ToolCall("ask"));
        telemetry.Evaluate(evaluator, new ToolCall("read_x", flagged.RootElement));

        lock (tags)
        {
            // Other tests may record meanwhile (each with one entry key of its own): a handful more, never thousands.
            Assert.True(tags.Count < 50, string.Join(", ", tags.Take(20)));
            Assert.Superset(new HashSet<string>(["(invalid)", "(unlisted)", "(hidden)", "(all_tools)", "read_*", "a/b", "ask"]), tags);
            Assert.DoesNotContain(tags, t => t.StartsWith("bad name", StringComparison.Ordinal) || t.StartsWith("unlisted_", StringComparison.Ordinal));
        }
    }

    /// <summary>The decision of a ValueTask that must already have completed (no waiting, hence no blocking).</summary>
    private static Decision Completed(ValueTask<Decision> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }

    private static string Denying(string tool) => $$"""{ "version": "1", "default": "allow", "tools": { "{{tool}}": { "action": "deny" } } }""";

    private static ActivityListener ListenToActivities(List<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PolicyEngineDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static Dictionary<string, object?> ToMap(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        return map;
    }
}
