using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolicyEngine.Testing;

/// <summary>
/// The answers to steps, in the shape <c>policyengine eval</c> prints (docs/policy-language.md#command-line) and policy tests match: a decision
/// always has every key, <see langword="null"/> where absent, so a test can expect an explicit <c>null</c>. The
/// command's <c>AnswerWriter</c> writes through these methods too, so the two cannot drift apart.
/// </summary>
internal static class Answers
{
    /// <summary>Compact; "é" and "&lt;" kept readable (a data stream, not HTML), quotes and controls still escaped.</summary>
    public static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A decision, every key present.</summary>
    public static void WriteDecision(Utf8JsonWriter json, in Decision decision)
    {
        json.WriteStartObject();
        WriteOutcome(json, decision.Effect, decision.Code, decision.Rule, decision.Message);
        if (decision.RetryAfter is { } retryAfter)
        {
            // Ticks → seconds in decimal: exact, and printed without exponent or trailing zeros (57, 0.5).
            json.WriteNumber("retry_after", (decimal)retryAfter.Ticks / TimeSpan.TicksPerSecond);
        }
        else
        {
            json.WriteNull("retry_after");
        }

        json.WriteString("approval_id", Wellformed(decision.ApprovalId));
        if (decision.Shadowed is { } shadowed)
        {
            json.WriteStartObject("shadowed");
            WriteOutcome(json, shadowed.Effect, shadowed.Code, shadowed.Rule, shadowed.Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("shadowed");
        }

        json.WriteEndObject();
    }

    /// <summary>The decision for a step rejected before the engine sees it.</summary>
    public static void WriteInvalidCall(Utf8JsonWriter json, string message)
    {
        json.WriteStartObject();
        WriteOutcome(json, PolicyEffect.Deny, DecisionCodes.InvalidCall, rule: null, message);
        json.WriteNull("retry_after");
        json.WriteNull("approval_id");
        json.WriteNull("shadowed");
        json.WriteEndObject();
    }

    /// <summary><c>{"approved": bool}</c>.</summary>
    public static void WriteApproved(Utf8JsonWriter json, bool approved)
    {
        json.WriteStartObject();
        json.WriteBoolean("approved", approved);
        json.WriteEndObject();
    }

    /// <summary><c>{"reloaded": true}</c>, or <c>{"reloaded": false, "errors": [...]}</c> when there are errors.</summary>
    public static void WriteReloaded(Utf8JsonWriter json, IReadOnlyList<PolicyError> errors)
    {
        json.WriteStartObject();
        json.WriteBoolean("reloaded", errors.Count == 0);
        if (errors.Count > 0)
        {
            json.WriteStartArray("errors");
            foreach (var error in errors)
            {
                json.WriteStartObject();
                json.WriteString("pointer", Wellformed(error.Pointer));
                json.WriteNumber("line", error.Line);
                json.WriteNumber("column", error.Column);
                json.WriteString("message", Wellformed(error.Message));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static byte[] Decision(in Decision decision)
    {
        var (buffer, json) = Begin();
        WriteDecision(json, decision);
        return End(buffer, json);
    }

    public static byte[] InvalidCall(string message)
    {
        var (buffer, json) = Begin();
        WriteInvalidCall(json, message);
        return End(buffer, json);
    }

    public static byte[] Approved(bool approved)
    {
        var (buffer, json) = Begin();
        WriteApproved(json, approved);
        return End(buffer, json);
    }

    public static byte[] Reloaded(IReadOnlyList<PolicyError> errors)
    {
        var (buffer, json) = Begin();
        WriteReloaded(json, errors);
        return End(buffer, json);
    }

    private static void WriteOutcome(Utf8JsonWriter json, PolicyEffect effect, string code, string? rule, string? message)
    {
        json.WriteString("effect", Telemetry.DecisionText.Effect(effect));
        json.WriteString("code", code);
        json.WriteString("rule", Wellformed(rule));
        json.WriteString("message", Wellformed(message));
    }

    // Utf8JsonWriter throws on a lone surrogate; a message that echoes odd input must not crash the run.
    private static string? Wellformed(string? text) =>
        text is null || text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? text : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json) Begin()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return (buffer, new Utf8JsonWriter(buffer, Options));
    }

    private static byte[] End(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        json.Dispose();
        return buffer.WrittenSpan.ToArray();
    }
}
