using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolicyEngine.Cli.Output;

/// <summary>
/// Writes the answers of <c>eval</c>, one compact JSON object and a <c>\n</c> per step (spec §9), as UTF-8
/// without a byte order mark. Numbers are written from decimal, never through binary floating point.
/// </summary>
internal sealed class AnswerWriter(Stream output) : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Output is a data stream, not HTML: keep "é" and "<" readable; quotes and controls are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _json = new(Stream.Null, Options);

    /// <summary>A decision: every key always present, <see langword="null"/> where absent.</summary>
    public void WriteDecision(in Decision decision)
    {
        var json = Begin();
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
        End();
    }

    /// <summary>The decision for a call the command rejects before the engine sees it.</summary>
    public void WriteInvalidCall(string message)
    {
        var json = Begin();
        json.WriteStartObject();
        WriteOutcome(json, PolicyEffect.Deny, DecisionCodes.InvalidCall, rule: null, message);
        json.WriteNull("retry_after");
        json.WriteNull("approval_id");
        json.WriteNull("shadowed");
        json.WriteEndObject();
        End();
    }

    /// <summary><c>{"approved": bool}</c>.</summary>
    public void WriteApproved(bool approved)
    {
        var json = Begin();
        json.WriteStartObject();
        json.WriteBoolean("approved", approved);
        json.WriteEndObject();
        End();
    }

    /// <summary><c>{"reloaded": true}</c>, or <c>{"reloaded": false, "errors": [...]}</c> when there are errors.</summary>
    public void WriteReloaded(IReadOnlyList<PolicyError> errors)
    {
        var json = Begin();
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
        End();
    }

    /// <summary>Pushes buffered answers to the output.</summary>
    public void Flush() => output.Flush();

    public void Dispose() => _json.Dispose();

    private static void WriteOutcome(Utf8JsonWriter json, PolicyEffect effect, string code, string? rule, string? message)
    {
        json.WriteString("effect", effect switch
        {
            PolicyEffect.Allow => "allow",
            PolicyEffect.RequireApproval => "require_approval",
            _ => "deny",
        });
        json.WriteString("code", code);
        json.WriteString("rule", Wellformed(rule));
        json.WriteString("message", Wellformed(message));
    }

    // Utf8JsonWriter throws on a lone surrogate; a message that echoes odd input must not crash the run.
    private static string? Wellformed(string? text) =>
        text is null || text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0
            ? text
            : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        return _json;
    }

    private void End()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        output.Write(_buffer.WrittenSpan);
    }
}
