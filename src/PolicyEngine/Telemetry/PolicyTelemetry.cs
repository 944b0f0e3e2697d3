using System.Diagnostics;
using PolicyEngine.Telemetry;

namespace PolicyEngine;

/// <summary>
/// Evaluates calls with measurements around them: the <c>policyengine.decisions</c> counter, the
/// <c>policyengine.evaluate.duration</c> histogram, a <c>policyengine.denied</c> activity event on denials, and an
/// optional <see cref="PolicyDecisionLogger"/>. The <c>tool</c> tag is never the client's tool name: it is the key of the
/// <c>tools</c> entry that decided (e.g. <c>read_*</c>), or <c>(invalid)</c>, <c>(hidden)</c>, <c>(unlisted)</c>,
/// <c>(all_tools)</c> or <c>(none)</c>, so a client cannot add tag values; the decision log keeps the name. Nothing here can change a decision: every fault of an observer is
/// swallowed. The evaluator's own hot path carries no instrumentation.
/// </summary>
public sealed class PolicyTelemetry
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a recorder.</summary>
    /// <param name="decisionLogger">Where decisions are logged as JSON Lines; <see langword="null"/> for no log.</param>
    /// <param name="timeProvider">The clock for durations and log times; default <see cref="TimeProvider.System"/>.</param>
    public PolicyTelemetry(PolicyDecisionLogger? decisionLogger = null, TimeProvider? timeProvider = null)
    {
        DecisionLogger = decisionLogger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The decision log, if any.</summary>
    public PolicyDecisionLogger? DecisionLogger { get; }

    /// <summary>Evaluates a call and records the decision.</summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="call">The call.</param>
    /// <returns>The evaluator's decision, unchanged.</returns>
    public Decision Evaluate(PolicyEvaluator evaluator, in ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        // An activity of our own, only when someone listens, so that the denial event has a home without an ambient one.
        using var activity = PolicyEngineDiagnostics.ActivitySource.StartActivity("policyengine.evaluate", ActivityKind.Internal);
        var started = _timeProvider.GetTimestamp();
        var decision = evaluator.Evaluate(in call);
        Finish(activity, in call, in decision, started);
        return decision;
    }

    /// <summary>
    /// Evaluates a call with <see cref="PolicyEvaluator.EvaluateAsync"/> and records the decision: with the in-memory
    /// state it completes synchronously and allocates nothing more than <see cref="Evaluate"/>; with a shared store it
    /// waits for the store without blocking a thread, and the duration recorded includes that wait.
    /// </summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Stops waiting for the store (the call is then denied).</param>
    /// <returns>The evaluator's decision, unchanged.</returns>
    public ValueTask<Decision> EvaluateAsync(PolicyEvaluator evaluator, ToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var parent = Activity.Current;
        var activity = PolicyEngineDiagnostics.ActivitySource.StartActivity("policyengine.evaluate", ActivityKind.Internal);
        var started = _timeProvider.GetTimestamp();
        var pending = evaluator.EvaluateAsync(call, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // Not an async method: its state machine would be allocated in Debug builds and on every path.
            var decision = pending.Result;
            Finish(activity, in call, in decision, started);
            activity?.Dispose();
            return new(decision);
        }

        var completing = FinishAsync(pending, call, activity, started);
        if (activity is not null)
        {
            // The activity stays current for the wait only; the caller goes on under its own parent meanwhile.
            Activity.Current = parent;
        }

        return completing;
    }

    private async ValueTask<Decision> FinishAsync(ValueTask<Decision> pending, ToolCall call, Activity? activity, long started)
    {
        using (activity)
        {
            var decision = await pending.ConfigureAwait(false);
            Finish(activity, in call, in decision, started);
            return decision;
        }
    }

    private void Finish(Activity? activity, in ToolCall call, in Decision decision, long started)
    {
        activity?.SetTag("policyengine.tool", ToolTag.Of(in decision));
        Record(in call, in decision, _timeProvider.GetElapsedTime(started));
    }

    /// <summary>Records a decision made elsewhere. Never throws.</summary>
    /// <param name="call">The call.</param>
    /// <param name="decision">Its decision.</param>
    /// <param name="duration">How long the evaluation took.</param>
    public void Record(in ToolCall call, in Decision decision, TimeSpan duration)
    {
        try
        {
            var effect = DecisionText.Effect(decision.Effect);
            var tool = ToolTag.Of(in decision);
            var tags = new TagList
            {
                { "effect", effect },
                { "code", decision.Code },
                { "tool", tool },
            };
            PolicyEngineDiagnostics.Decisions.Add(1, tags);
            PolicyEngineDiagnostics.Duration.Record(duration.TotalSeconds, tags);
            if (!decision.IsAllowed && Activity.Current is { } activity)
            {
                activity.AddEvent(new ActivityEvent(
                    PolicyEngineDiagnostics.DeniedEvent,
                    tags: new ActivityTagsCollection
                    {
                        ["policyengine.tool"] = tool,
                        ["policyengine.effect"] = effect,
                        ["policyengine.code"] = decision.Code,
                        ["policyengine.rule"] = decision.Rule,
                        ["policyengine.approval_id"] = decision.ApprovalId,
                    }));
            }
        }
#pragma warning disable CA1031 // Metrics are observers: their faults must not reach the caller's decision.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        DecisionLogger?.Log(in call, in decision, _timeProvider.GetUtcNow());
    }
}
