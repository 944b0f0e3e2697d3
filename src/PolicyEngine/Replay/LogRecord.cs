using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.Replay;

/// <summary>
/// One line of the decision log that <see cref="PolicyDecisionLogger"/> writes: the call (time, session, tool and,
/// when logged, arguments, context and definition pin) and what was decided. The elements are cloned, so a record
/// outlives the line it was read from.
/// </summary>
internal sealed record LogRecord(int Line, DateTimeOffset Time, string Session, string Tool, string Effect, string Code, string? Rule)
{
    public JsonElement? Arguments { get; init; }

    public JsonElement? Context { get; init; }

    public string? ArgumentsHash { get; init; }

    public string? DefinitionPin { get; init; }

    /// <summary>Reads the log's lines; blank lines and events (a candidate's disagreements) are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not a decision record; the message says which and why.</exception>
    public static List<LogRecord> ReadAll(TextReader reader)
    {
        var records = new List<LogRecord>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line) && Read(line, number) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static LogRecord? Read(string line, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event", out _))
            {
                return null; // not a decision: e.g. "candidate_disagreement", whose call the decision line beside it holds
            }

            return new LogRecord(
                number,
                DateTimeOffset.Parse(Text(root, "time")!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                Text(root, "session")!,
                Text(root, "tool")!,
                Text(root, "effect")!,
                Text(root, "code")!,
                Text(root, "rule", optional: true))
            {
                Arguments = root.TryGetProperty("arguments", out var arguments) ? arguments.Clone() : null,
                Context = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object ? context.Clone() : null,
                ArgumentsHash = Text(root, "arguments_sha256", optional: true),
                DefinitionPin = Text(root, "definition_pin", optional: true),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"line {number}: not a decision record: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement root, string name, bool optional = false) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()
        : optional && (!root.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null) ? null
        : throw new FormatException($"'{name}' must be a string");

    /// <summary>The call as it was made, as far as the record tells.</summary>
    public ToolCall ToCall() =>
        (Arguments is { } arguments ? new ToolCall(Tool, arguments) : new ToolCall(Tool)) with
        {
            SessionId = Session,
            Context = Context?.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
            DefinitionPin = DefinitionPin,
        };

    /// <summary>What identifies the call for an approval: session, tool and canonical arguments.</summary>
    public (string Session, string Tool, string? Arguments) ApprovalKey => (Session, Tool, ArgumentsHash);
}
