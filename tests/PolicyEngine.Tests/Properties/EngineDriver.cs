using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Tests.Properties;

/// <summary>Runs <see cref="RefStep"/> scenarios against the real engine through its public API, on a fake clock.</summary>
public sealed class EngineDriver : IDisposable
{
    /// <summary>The virtual clock's zero (spec §9).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonDocumentOptions ArgOptions = new() { MaxDepth = 100_000 };
    private readonly FakeTimeProvider _clock = new(Epoch);
    private readonly PolicyEvaluator _engine;
    private decimal _now;

    /// <summary>Compiles the policy (it must be valid) and builds an evaluator on a fake clock.</summary>
    public EngineDriver(string policyText, PolicyEngineOptions? options = null)
    {
        options ??= new PolicyEngineOptions();
        options.TimeProvider = _clock;
        _engine = new PolicyEvaluator(Compile(policyText), options);
    }

    /// <summary>The evaluator under test.</summary>
    public PolicyEvaluator Engine => _engine;

    /// <summary>Compiles a document that the generators promise is valid; a rejection is itself a finding.</summary>
    public static Policy Compile(string policyText) =>
        Policy.TryParse(policyText, out var policy, out var errors)
            ? policy
            : throw new InvalidOperationException("The engine rejected a valid policy: " + string.Join("; ", errors) + "\n" + policyText);

    /// <summary>Moves the fake clock to <paramref name="at"/> seconds (never backwards).</summary>
    public void MoveTo(decimal at)
    {
        if (at > _now) _clock.Advance(TimeSpan.FromTicks((long)((at - _now) * TimeSpan.TicksPerSecond)));
        _now = Math.Max(_now, at);
    }

    /// <summary>Runs one step; the result is a <see cref="RefDecision"/>, <see cref="bool"/> (approve) or <see langword="null"/> (reload).</summary>
    public object? Run(RefStep step)
    {
        MoveTo(step.At);
        switch (step)
        {
            case CallStep c:
                return ToRef(_engine.Evaluate(ToToolCall(c.Call)));
            case ApproveStep a:
                var id = _engine.GetApprovalId(ToToolCall(a.Call));
                return id is not null && _engine.Approve(id);
            case ReloadStep r:
                _engine.Reload(Compile(r.PolicyText));
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    /// <summary>Builds the engine's <see cref="ToolCall"/> from a reference call (arguments parsed with duplicates kept).</summary>
    public static ToolCall ToToolCall(RefCall call)
    {
        var args = call.ArgumentsJson is null ? default : JsonDocument.Parse(call.ArgumentsJson, ArgOptions).RootElement;
        return new ToolCall(call.Tool, args)
        {
            SessionId = call.Session,
            Context = call.Context?.ToDictionary(p => p.Key, p => JsonDocument.Parse(p.Value).RootElement, StringComparer.Ordinal),
            Definition = call.DefinitionJson is null ? default : JsonDocument.Parse(call.DefinitionJson).RootElement,
        };
    }

    /// <summary>The engine's decision in the reference's vocabulary.</summary>
    public static RefDecision ToRef(Decision d) =>
        new(Outcome(d.Effect, d.Code, d.Rule, d.Message),
            d.RetryAfter is { } r ? (decimal)r.Ticks / TimeSpan.TicksPerSecond : null,
            d.Shadowed is { } s ? Outcome(s.Effect, s.Code, s.Rule, s.Message) : null);

    private static RefOutcome Outcome(PolicyEffect effect, string code, string? rule, string? message) =>
        new(EffectName(effect), code, rule, message);

    /// <summary>The spec's name of an effect.</summary>
    public static string EffectName(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Deny => "deny",
        PolicyEffect.RequireApproval => "require_approval",
        _ => "unknown:" + effect.ToString(),
    };

    /// <summary>Seconds as the invariant text used in messages.</summary>
    public static string Seconds(decimal? s) => s?.ToString(CultureInfo.InvariantCulture) ?? "null";

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
