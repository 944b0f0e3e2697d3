using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using PolicyEngine.Testing;
using PolicyEngine.Document;

namespace PolicyEngine.Cli.Steps;

/// <summary>
/// Turns one line of a calls file into a <see cref="Step"/> (docs/policy-language.md#command-line). Never throws for bad input: a line that
/// is not JSON, or whose fields have the wrong types, becomes a step with an <see cref="Step.Error"/>.
/// </summary>
internal static class StepReader
{
    // Deep enough that the engine, not the reader, rejects arguments nested past its own limit of 64 levels.
    private const int MaxDepth = 256;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static Step Read(ReadOnlyMemory<byte> line)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1); the reader does not check the bytes inside strings it never decodes.
        if (!Utf8.IsValid(line.Span))
        {
            return Step.Unreadable(ValidationMessages.LineNotUtf8);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException e)
        {
            return Step.Unreadable(ValidationMessages.LineNotJson(Describe(e)));
        }

        try
        {
            return Read(document, line.Span);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
        {
            // e.g. an escaped lone surrogate in a name: valid JSON syntax, but no .NET string can hold it.
            document.Dispose();
            return Step.Unreadable(ValidationMessages.LineUnreadable(e is JsonException json ? Describe(json) : e.Message));
        }
    }

    private static Step Read(JsonDocument document, ReadOnlySpan<byte> line)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return Step.Unreadable(ValidationMessages.StepNotObject);
        }

        var isApprove = root.TryGetProperty("approve", out var approve);
        var isReload = root.TryGetProperty("reload", out var reload);
        if (isApprove && isReload)
        {
            document.Dispose();
            return Step.Unreadable(ValidationMessages.ApproveAndReload);
        }

        var kind = isApprove ? StepKind.Approve : isReload ? StepKind.Reload : StepKind.Call;
        var error = ReadAt(root, out var at) ?? FindDuplicate(kind, line);
        ToolCall call;
        switch (kind)
        {
            case StepKind.Call when error is null:
                error = CallReader.ReadLeavingAt(root, out call);
                if (error is null)
                {
                    return Step.ForCall(kind, at, call, document);
                }

                break;
            case StepKind.Approve when error is null:
                call = default;
                error = CallReader.OnlyKey(root, "approve") ??
                    (approve.ValueKind == JsonValueKind.Object
                        ? CallReader.Read(approve, allowAt: false, out call, out _)
                        : ValidationMessages.ApproveNotObject);
                if (error is null)
                {
                    return Step.ForCall(kind, at, call, document);
                }

                break;
            case StepKind.Reload when error is null:
                error = CallReader.OnlyKey(root, "reload");
                if (error is null)
                {
                    var text = JsonMarshal.GetRawUtf8Value(reload);
                    return Step.ForReload(at, text.ToArray(), CharsBefore(line, text), document);
                }

                break;
        }

        return Step.Failed(kind, at, error!, document);
    }

    /// <summary>
    /// The parser's message without its position, which counts lines of the one line parsed from 0
    /// ("LineNumber: 0"); the caller names the line in the file, and the byte within it is given 1-based.
    /// </summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (position < 0 ? message : message[..position]).TrimEnd();
        return e.BytePositionInLine is { } at ? $"{reason} (at byte {at + 1})" : reason;
    }

    /// <summary>The characters of <paramref name="line"/> before <paramref name="part"/>, which lies in it (the document reads the line in place).</summary>
    private static int CharsBefore(ReadOnlySpan<byte> line, ReadOnlySpan<byte> part)
    {
        var offset = (long)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(line), ref MemoryMarshal.GetReference(part));
        return offset >= 0 && offset <= line.Length ? Encoding.UTF8.GetCharCount(line[..(int)offset]) : 0;
    }

    private static string? ReadAt(JsonElement root, out decimal? at)
    {
        at = null;
        if (!root.TryGetProperty("at", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var seconds) || seconds > VirtualClock.MaxSeconds)
        {
            return ValidationMessages.AtAtMost(VirtualClock.MaxSeconds);
        }

        at = seconds;
        return null;
    }

    private static string? FindDuplicate(StepKind kind, ReadOnlySpan<byte> line)
    {
        if (DuplicateKeyFinder.Find(line, MaxDepth) is not { } duplicate ||
            (kind == StepKind.Reload && duplicate.TopLevelKey == "reload"))
        {
            // A duplicate inside a reloaded policy is the validator's to report, with its pointer and position.
            return null;
        }

        return duplicate.TopLevelKey is { } key
            ? ValidationMessages.DuplicateKeyIn(duplicate.Name, key)
            : ValidationMessages.DuplicateKey(duplicate.Name);
    }
}
