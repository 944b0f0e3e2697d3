namespace PolicyEngine.Replay;

/// <summary>
/// Decides every logged call again under a new policy, in log order, on a clock set to each record's time, with
/// one evaluator (so limits and approvals build up as they did). Approvals are not in the log; one is implied when
/// a call the log shows asking for approval is later allowed, and the replay grants it then.
/// </summary>
internal static class Replayer
{
    /// <summary>Why the log cannot be replayed under the policy, or <see langword="null"/> when it can.</summary>
    public static string? CannotReplay(PolicyReads reads, IReadOnlyList<LogRecord> records)
    {
        if (reads.Arguments is { } args && records.FirstOrDefault(r => r.Arguments is null && r.Code != DecisionCodes.InvalidCall) is { } noArgs)
        {
            return $"the policy reads the arguments ({args}), but line {noArgs.Line} of the log has none: log with IncludeArguments to replay it.";
        }

        if (reads.Context is { } context && records.FirstOrDefault(r => r.Context is null) is { } noContext)
        {
            return $"the policy reads the context ({context}), but line {noContext.Line} of the log has none: log with IncludeArguments to replay it.";
        }

        return null;
    }

    public static ReplayResult Run(Policy policy, IReadOnlyList<LogRecord> records)
    {
        var clock = new ReplayClock(records.Count > 0 ? records[0].Time : DateTimeOffset.UnixEpoch);
        using var evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = clock });
        var asked = new HashSet<(string, string, string?)>();
        var changes = new List<ReplayChange>();
        var codes = new SortedDictionary<string, (int Old, int New)>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            clock.MoveTo(record.Time);
            var (effect, code, rule) = record.Arguments is null && record.Code == DecisionCodes.InvalidCall
                ? (record.Effect, record.Code, record.Rule) // the arguments could not be logged, so the call cannot be made again
                : Decide(evaluator, record, asked);
            if (record.Code == DecisionCodes.ApprovalRequired)
            {
                asked.Add(record.ApprovalKey);
            }

            if (effect != record.Effect || code != record.Code || rule != record.Rule)
            {
                changes.Add(new ReplayChange(record, effect, code, rule));
            }

            codes[record.Code] = codes.GetValueOrDefault(record.Code) with { Old = codes.GetValueOrDefault(record.Code).Old + 1 };
            codes[code] = codes.GetValueOrDefault(code) with { New = codes.GetValueOrDefault(code).New + 1 };
        }

        return new ReplayResult(records.Count, changes, codes);
    }

    private static (string Effect, string Code, string? Rule) Decide(PolicyEvaluator evaluator, LogRecord record, HashSet<(string, string, string?)> asked)
    {
        var call = record.ToCall();
        var decision = evaluator.Evaluate(call);
        if (decision.Effect == PolicyEffect.RequireApproval && record.Effect == "allow" && asked.Contains(record.ApprovalKey) &&
            decision.ApprovalId is { } id && evaluator.Approve(id))
        {
            // The log shows this call asking for approval earlier and now allowed: a person approved it in between.
            decision = evaluator.Evaluate(call);
        }

        return (Telemetry.DecisionText.Effect(decision.Effect), decision.Code, decision.Rule);
    }

    /// <summary>The replay's clock: the time of the record being replayed, never going back.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now.UtcTicks;

        public void MoveTo(DateTimeOffset time)
        {
            if (time > _now)
            {
                _now = time;
            }
        }
    }
}
