namespace PolicyEngine.Tests.Reference;

/// <summary>
/// One call as the spec's §9 call line describes it, kept as raw JSON text so that the reference and the
/// engine each read it their own way (duplicate keys and odd numbers survive untouched).
/// </summary>
/// <param name="Tool">The tool name, exactly as sent.</param>
/// <param name="ArgumentsJson">The arguments' JSON text; <see langword="null"/> means absent.</param>
/// <param name="Session">The session id; <see langword="null"/> means absent (<c>""</c>).</param>
/// <param name="Context">Context name → JSON text of the value.</param>
/// <param name="DefinitionJson">The tool definition's JSON text, or <see langword="null"/>.</param>
public sealed record RefCall(
    string Tool,
    string? ArgumentsJson = null,
    string? Session = null,
    IReadOnlyDictionary<string, string>? Context = null,
    string? DefinitionJson = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var ctx = Context is null ? "" : " ctx{" + string.Join(",", Context.Select(p => $"{p.Key}={p.Value}")) + "}";
        var def = DefinitionJson is null ? "" : " def=" + DefinitionJson;
        return $"{Tool} args={ArgumentsJson ?? "<absent>"} session={Session ?? "<absent>"}{ctx}{def}";
    }
}

/// <summary>A step of a scenario: a call, an approval or a reload, at a time in seconds on the virtual clock.</summary>
public abstract record RefStep(decimal At);

/// <summary>Decide a call.</summary>
public sealed record CallStep(decimal At, RefCall Call) : RefStep(At)
{
    /// <inheritdoc />
    public override string ToString() => $"@{At} call {Call}";
}

/// <summary>Approve the approval id the call would get.</summary>
public sealed record ApproveStep(decimal At, RefCall Call) : RefStep(At)
{
    /// <inheritdoc />
    public override string ToString() => $"@{At} approve {Call}";
}

/// <summary>Put a new (valid) policy in force.</summary>
public sealed record ReloadStep(decimal At, string PolicyText) : RefStep(At)
{
    /// <inheritdoc />
    public override string ToString() => $"@{At} reload {PolicyText}";
}

/// <summary>The fixed part of a decision as the spec names it.</summary>
public sealed record RefOutcome(string Effect, string Code, string? Rule, string? Message);

/// <summary>A decision of the reference evaluator.</summary>
/// <param name="Outcome">Effect, code, rule, message (for shadow mode: allow/shadow).</param>
/// <param name="RetryAfterSeconds">For rate_limited: seconds until the call fits, or <see langword="null"/>.</param>
/// <param name="Shadowed">In shadow mode, the computed outcome.</param>
public sealed record RefDecision(RefOutcome Outcome, decimal? RetryAfterSeconds = null, RefOutcome? Shadowed = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Outcome.Effect}/{Outcome.Code} at {Outcome.Rule ?? "null"} retry={RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}" +
        (Shadowed is null ? "" : $" shadowed={Shadowed.Effect}/{Shadowed.Code} at {Shadowed.Rule ?? "null"}");
}
