using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Security.Cryptography;
using PolicyEngine.Approvals;
using PolicyEngine.Telemetry;

namespace PolicyEngine;

/// <summary>
/// Writes one JSON object per decision (JSON Lines): <c>time</c>, <c>session</c>, <c>tool</c>, <c>arguments_sha256</c>
/// (SHA-256 of the RFC 8785 canonical arguments), <c>effect</c>, <c>code</c>, <c>rule</c>, <c>message</c>, and the raw
/// <c>arguments</c> and the host's <c>context</c> only when <see cref="IncludeArguments"/> is on (the hash is null for arguments that
/// cannot be canonicalized), and <c>definition_pin</c> when the call carries the tool's definition. Thread-safe. A write that fails is counted in
/// <see cref="Failures"/> and otherwise ignored: logging never changes a decision.
/// </summary>
public sealed class PolicyDecisionLogger : IDisposable
{
    private static readonly Dictionary<string, JsonElement> EmptyContext = [];

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly Lock _gate = new();
    private long _failures;

    /// <summary>Logs to a writer.</summary>
    /// <param name="writer">Where the lines go; each line is flushed.</param>
    /// <param name="includeArguments">Whether to log the raw arguments and the context (they may hold secrets or personal data).</param>
    /// <param name="ownsWriter">Whether <see cref="Dispose"/> disposes the writer.</param>
    public PolicyDecisionLogger(TextWriter writer, bool includeArguments = false, bool ownsWriter = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
        IncludeArguments = includeArguments;
    }

    /// <summary>Whether raw arguments (and the call's context) are written.</summary>
    public bool IncludeArguments { get; }

    /// <summary>How many records could not be written.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Opens (or creates) a file and appends lines to it.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="includeArguments">Whether to log the raw arguments.</param>
    /// <returns>A logger that owns the file.</returns>
    public static PolicyDecisionLogger AppendToFile(string path, bool includeArguments = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        return new PolicyDecisionLogger(new StreamWriter(stream, new UTF8Encoding(false)), includeArguments, ownsWriter: true);
    }

    /// <summary>Writes the record of one decision. Never throws.</summary>
    /// <param name="call">The call that was decided.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="time">When it was decided.</param>
    public void Log(in ToolCall call, in Decision decision, DateTimeOffset time)
    {
        WriteLine(call, decision, time, static (logger, in call, decision, time) => logger.Format(in call, in decision, time));
    }

    /// <summary>
    /// Writes a call that a <see cref="CandidatePolicy"/> decided differently: <c>"event": "candidate_disagreement"</c>,
    /// the call's time, session, tool and arguments hash, and both decisions. Never throws.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="enforced">The decision enforced.</param>
    /// <param name="candidate">The candidate's decision.</param>
    /// <param name="time">When it was decided.</param>
    public void LogDisagreement(in ToolCall call, in Decision enforced, in Decision candidate, DateTimeOffset time)
    {
        var pair = (enforced, candidate);
        WriteLine(call, pair, time, static (_, in call, pair, time) => FormatDisagreement(in call, pair.enforced, pair.candidate, time));
    }

    /// <summary>Flushes and, when owned, closes the writer.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
        }
    }

    // One line per record, written whole under the lock; a fault anywhere is counted, never thrown.
    private void WriteLine<T>(in ToolCall call, T state, DateTimeOffset time, FormatRecord<T> format)
    {
        try
        {
            var line = format(this, in call, state, time);
            lock (_gate)
            {
                _writer.Write(line);
                _writer.Write('\n');
                _writer.Flush();
            }
        }
#pragma warning disable CA1031 // The log is an observer: its faults must not reach the caller's decision.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private delegate string FormatRecord<T>(PolicyDecisionLogger logger, in ToolCall call, T state, DateTimeOffset time);

    private static string FormatDisagreement(in ToolCall call, Decision enforced, Decision candidate, DateTimeOffset time)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("event", "candidate_disagreement");
            json.WriteString("session", call.SessionId ?? "");
            json.WriteString("tool", call.Tool);
            json.WriteString("arguments_sha256", Hash(TryCanonical(in call)));
            WriteDecision(json, "enforced", enforced);
            WriteDecision(json, "candidate", candidate);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteDecision(Utf8JsonWriter json, string name, in Decision decision)
    {
        json.WriteStartObject(name);
        json.WriteString("effect", DecisionText.Effect(decision.Effect));
        json.WriteString("code", decision.Code);
        json.WriteString("rule", decision.Rule);
        json.WriteString("message", decision.Message);
        json.WriteEndObject();
    }

    private static string? Hash(string? canonical) =>
        canonical is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private string Format(in ToolCall call, in Decision decision, DateTimeOffset time)
    {
        var canonical = TryCanonical(in call);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("session", call.SessionId ?? "");
            json.WriteString("tool", call.Tool);
            json.WriteString("arguments_sha256", Hash(canonical));
            json.WriteString("effect", DecisionText.Effect(decision.Effect));
            json.WriteString("code", decision.Code);
            json.WriteString("rule", decision.Rule);
            json.WriteString("message", decision.Message);
            if (decision.ApprovalId is { } approvalId)
            {
                json.WriteString("approval_id", approvalId);
            }

            if (IncludeArguments && canonical is not null)
            {
                json.WritePropertyName("arguments");
                json.WriteRawValue(canonical, skipInputValidation: true);
            }

            // What `policyengine replay` needs to decide the call again: the definition's pin (never secret), and
            // with the arguments the host's context (always written then, so a missing one means "not logged").
            if (DefinitionPin(in call) is { } definitionPin)
            {
                json.WriteString("definition_pin", definitionPin);
            }

            if (IncludeArguments)
            {
                json.WriteStartObject("context");
                foreach (var (name, value) in call.Context ?? EmptyContext)
                {
                    if (value.ValueKind != JsonValueKind.Undefined)
                    {
                        json.WritePropertyName(name);
                        value.WriteTo(json);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string? DefinitionPin(in ToolCall call) =>
        call.DefinitionPin ?? (call.Definition.ValueKind == JsonValueKind.Object && Json.PinHasher.TryCompute(call.Definition, out var pin) ? pin : null);

    // Arguments that cannot be canonicalized (an invalid call's, say) still leave a record, with a null hash.
    private static string? TryCanonical(in ToolCall call)
    {
        try
        {
            return ApprovalIds.CanonicalArguments(in call);
        }
#pragma warning disable CA1031 // Hostile argument text must not cost the decision its log line.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
