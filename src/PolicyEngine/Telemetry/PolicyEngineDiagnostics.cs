using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PolicyEngine;

/// <summary>
/// The names under which PolicyEngine reports: a <see cref="Meter"/> and an <see cref="ActivitySource"/>, both named
/// <c>PolicyEngine</c>. Subscribe with OpenTelemetry's <c>AddMeter("PolicyEngine")</c> / <c>AddSource("PolicyEngine")</c>.
/// Measurements are made by <see cref="PolicyTelemetry"/>; the evaluator itself stays free of instrumentation.
/// </summary>
public static class PolicyEngineDiagnostics
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "PolicyEngine";

    /// <summary>
    /// Counter of decisions, tagged <c>effect</c>, <c>code</c> and <c>tool</c>: the key of the <c>tools</c> entry that decided,
    /// or a fixed word for an invalid, hidden or unlisted call (see <see cref="PolicyTelemetry"/>), never the client's name.
    /// </summary>
    public const string DecisionsCounter = "policyengine.decisions";

    /// <summary>Histogram of the time <see cref="PolicyEvaluator.Evaluate(in ToolCall)"/> took, in seconds.</summary>
    public const string EvaluateDuration = "policyengine.evaluate.duration";

    /// <summary>Counter of calls a candidate policy decided differently, tagged <c>enforced_code</c>, <c>candidate_code</c> and <c>tool</c>.</summary>
    public const string CandidateDisagreementsCounter = "policyengine.candidate.disagreements";

    /// <summary>
    /// Counter of failed answers from a shared state store (<see cref="PolicyEngineOptions.StateStore"/>), tagged <c>reason</c>
    /// (<c>timeout</c>, <c>error</c> or <c>cancelled</c>). Each failure denies its call with <see cref="DecisionCodes.StateUnavailable"/>.
    /// </summary>
    public const string StateFailuresCounter = "policyengine.state.failures";

    /// <summary>The activity event added when a call is denied or needs approval.</summary>
    public const string DeniedEvent = "policyengine.denied";

    internal static readonly Meter Meter = new(Name);

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Counter<long> Decisions =
        Meter.CreateCounter<long>(DecisionsCounter, unit: "{decision}", description: "Tool-call decisions by effect, code and tool.");

    internal static readonly Counter<long> CandidateDisagreements =
        Meter.CreateCounter<long>(CandidateDisagreementsCounter, unit: "{call}", description: "Calls a candidate policy decided differently from the enforced one.");

    internal static readonly Counter<long> StateFailures =
        Meter.CreateCounter<long>(StateFailuresCounter, unit: "{failure}", description: "Failed or late answers from the shared state store.");

    internal static readonly Histogram<double> Duration =
        Meter.CreateHistogram<double>(EvaluateDuration, unit: "s", description: "Time to evaluate one tool call.");
}
