using System.Buffers;
using System.Text.Json;
using PolicyEngine.Testing;

namespace PolicyEngine.Cli.Output;

/// <summary>
/// Writes the answers of <c>eval</c>, one compact JSON object and a <c>\n</c> per step (docs/policy-language.md#command-line), as UTF-8
/// without a byte order mark. The answers' shape is <see cref="Answers"/>'s, the one policy tests match against.
/// </summary>
internal sealed class AnswerWriter(Stream output) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _json = new(Stream.Null, Answers.Options);

    /// <summary>A decision: every key always present, <see langword="null"/> where absent.</summary>
    public void WriteDecision(in Decision decision)
    {
        Answers.WriteDecision(Begin(), decision);
        End();
    }

    /// <summary>The decision for a call the command rejects before the engine sees it.</summary>
    public void WriteInvalidCall(string message)
    {
        Answers.WriteInvalidCall(Begin(), message);
        End();
    }

    /// <summary><c>{"approved": bool}</c>.</summary>
    public void WriteApproved(bool approved)
    {
        Answers.WriteApproved(Begin(), approved);
        End();
    }

    /// <summary><c>{"reloaded": true}</c>, or <c>{"reloaded": false, "errors": [...]}</c> when there are errors.</summary>
    public void WriteReloaded(IReadOnlyList<PolicyError> errors)
    {
        Answers.WriteReloaded(Begin(), errors);
        End();
    }

    /// <summary>Pushes buffered answers to the output.</summary>
    public void Flush() => output.Flush();

    public void Dispose() => _json.Dispose();

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
