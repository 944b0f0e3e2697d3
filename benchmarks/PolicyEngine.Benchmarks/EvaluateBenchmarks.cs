using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks;

/// <summary>
/// The hot path: one <see cref="PolicyEvaluator.Evaluate(in ToolCall)"/> per operation (two for
/// <see cref="HiddenOrInvalid"/>). Every call is built in setup, and setup checks that each call takes the path
/// the benchmark is named for. CI fails if any of these allocates (benchmarks/check-allocations.sh).
/// </summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    public const int Sessions = 10_000;

    private PolicyEvaluator _evaluator = null!;
    private ToolCall _call;
    private ToolCall _secondCall;
    private ToolCall[] _sessionCalls = [];
    private int _next;

    [GlobalSetup(Target = nameof(ExactToolAllow))]
    public void SetupExactToolAllow()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.ListedToolsPolicy()));
        _call = new ToolCall(Workloads.ListedTool);
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(ExactToolAllow));
    }

    [GlobalSetup(Target = nameof(FiveConditions))]
    public void SetupFiveConditions()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.FiveConditionsPolicy));
        _call = new ToolCall(Workloads.FiveConditionsTool, Workloads.Element(Workloads.FiveConditionsArguments));
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(FiveConditions));

        // The same call with the fifth leaf true must be denied, or the benchmark would measure conditions that never read the arguments.
        var urgent = new ToolCall(Workloads.FiveConditionsTool, Workloads.Element(Workloads.FiveConditionsArguments.Replace("weekly rebalance", "urgent rebalance", StringComparison.Ordinal)));
        Workloads.Expect(_evaluator.Evaluate(in urgent), DecisionCodes.Denied, nameof(FiveConditions));
    }

    [GlobalSetup(Target = nameof(GlobResolved))]
    public void SetupGlobResolved()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.HundredGlobsPolicy()));
        _call = new ToolCall("svc73_list_items");

        // The first call resolves the name against the globs; the benchmark measures the calls after it.
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(GlobResolved));
    }

    [GlobalSetup(Target = nameof(HiddenOrInvalid))]
    public void SetupHiddenOrInvalid()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.HidingPolicy));
        _call = new ToolCall("admin_console");
        _secondCall = new ToolCall("bad tool!");
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Hidden, nameof(HiddenOrInvalid));
        Workloads.Expect(_evaluator.Evaluate(in _secondCall), DecisionCodes.InvalidCall, nameof(HiddenOrInvalid));
    }

    [GlobalSetup(Targets = [nameof(SessionRateLimit), nameof(SessionRateLimitAsync)])]
    public void SetupSessionRateLimit()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.LimitPolicy(Workloads.AllowPathLimit)));
        _call = new ToolCall(Workloads.LimitedTool) { SessionId = "session-1" };

        // The session's counter exists before measuring starts.
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(SessionRateLimit));
    }

    [GlobalSetup(Target = nameof(SessionRateLimitExhausted))]
    public void SetupSessionRateLimitExhausted()
    {
        // Real clock: the window is 60 s, so the 10 calls spent here keep the session exhausted while it runs.
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.LimitPolicy(Workloads.SeedLimit)));
        _call = new ToolCall(Workloads.LimitedTool) { SessionId = "session-1" };
        for (var i = 0; i < Workloads.SeedLimitMax; i++)
        {
            Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(SessionRateLimitExhausted));
        }

        var denied = _evaluator.Evaluate(in _call);
        Workloads.Expect(denied, DecisionCodes.RateLimited, nameof(SessionRateLimitExhausted));
        if (denied.RetryAfter is not { } wait || wait <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(SessionRateLimitExhausted)}: no retry-after on {denied}.");
        }
    }

    [GlobalSetup(Target = nameof(CalendarBudget))]
    public void SetupCalendarBudget()
    {
        // A daily budget with a cost and a per-minute count, both calendar windows: the wall-clock path of every limit.
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.CalendarBudgetPolicy()));
        _call = Workloads.CalendarBudgetCall();
        Workloads.Expect(_evaluator.Evaluate(in _call), DecisionCodes.Allowed, nameof(CalendarBudget));
    }

    [GlobalSetup(Target = nameof(TenThousandSessions))]
    public void SetupTenThousandSessions()
    {
        _evaluator = new PolicyEvaluator(Policy.Parse(Workloads.LimitPolicy(Workloads.AllowPathLimit)));
        _sessionCalls = Workloads.SessionIds(Sessions)
            .Select(id => new ToolCall(Workloads.LimitedTool) { SessionId = id })
            .ToArray();
        foreach (var call in _sessionCalls)
        {
            Workloads.Expect(_evaluator.Evaluate(in call), DecisionCodes.Allowed, nameof(TenThousandSessions));
        }

        if (_evaluator.TrackedLimitKeys < Sessions)
        {
            throw new InvalidOperationException($"{nameof(TenThousandSessions)}: only {_evaluator.TrackedLimitKeys} counters exist.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _evaluator.Dispose();

    /// <summary>Default deny, 1,000 listed tools; one listed tool with no conditions and no arguments.</summary>
    [Benchmark]
    public Decision ExactToolAllow() => _evaluator.Evaluate(in _call);

    /// <summary>A <c>deny_if</c> with five leaves over eight arguments; all five are evaluated.</summary>
    [Benchmark]
    public Decision FiveConditions() => _evaluator.Evaluate(in _call);

    /// <summary>A name matched by one of 100 globs, after the first call resolved it.</summary>
    [Benchmark]
    public Decision GlobResolved() => _evaluator.Evaluate(in _call);

    /// <summary>A hidden tool, then an invalid name: two decisions per operation, reported per decision.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public bool HiddenOrInvalid() =>
        _evaluator.Evaluate(in _call).IsAllowed | _evaluator.Evaluate(in _secondCall).IsAllowed;

    /// <summary>One existing session under a limit every call fits, on the real clock.</summary>
    [Benchmark]
    public Decision SessionRateLimit() => _evaluator.Evaluate(in _call);

    /// <summary>
    /// <see cref="SessionRateLimit"/> through <see cref="PolicyEvaluator.EvaluateAsync"/>: with the in-memory state it completes
    /// synchronously, so the allocation gate holds it to 0 B as well.
    /// </summary>
    [Benchmark]
    public Decision SessionRateLimitAsync()
    {
        var pending = _evaluator.EvaluateAsync(_call);
        return pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("EvaluateAsync did not complete synchronously in memory.");
    }

    /// <summary>One session whose 10-per-60-s limit is spent: deny with retry-after.</summary>
    [Benchmark]
    public Decision SessionRateLimitExhausted() => _evaluator.Evaluate(in _call);

    /// <summary>One existing session under a calendar daily budget (cost) and a calendar per-minute count.</summary>
    [Benchmark]
    public Decision CalendarBudget() => _evaluator.Evaluate(in _call);

    /// <summary>The allow-path limit, cycling over 10,000 existing sessions.</summary>
    [Benchmark]
    public Decision TenThousandSessions()
    {
        var i = _next;
        _next = i + 1 == _sessionCalls.Length ? 0 : i + 1;
        return _evaluator.Evaluate(in _sessionCalls[i]);
    }
}
