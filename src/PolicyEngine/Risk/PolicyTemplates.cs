using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine;

/// <summary>Writes starter policies from a server's own tool list (docs/risk.md).</summary>
public static class PolicyTemplates
{
    /// <summary>Calls a session may make to one low-risk tool in <see cref="LimitWindow"/>.</summary>
    public const int LowRiskLimit = 60;

    /// <summary>Calls a session may make to one medium-risk tool in <see cref="LimitWindow"/>.</summary>
    public const int MediumRiskLimit = 10;

    /// <summary>The window of the generated rate limits.</summary>
    public const string LimitWindow = "1m";

    /// <summary>The message of a critical tool's entry, as in the seed policy.</summary>
    public const string HumanApprovalMessage = "Requires human approval.";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Reasons quote words ("verb \"cancel\" in name"); keep them readable instead of \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A starter policy for the given tools: <c>"default": "deny"</c>; low-risk tools allowed with a per-session rate
    /// limit of <see cref="LowRiskLimit"/> calls a minute, medium-risk tools with <see cref="MediumRiskLimit"/>; high-risk
    /// tools need approval; critical tools are denied with <see cref="HumanApprovalMessage"/> (or need approval, see
    /// <see cref="PolicyTemplateOptions.EngineApprovals"/>). Every entry has the <c>pin</c> of its definition and an
    /// <c>x-description</c> with its category, risk and reasons. Entries are sorted by name, so the same tools give the
    /// same text whatever order the server lists them in.
    /// </summary>
    /// <param name="definitions">Tool definitions as a server lists them in <c>tools/list</c>.</param>
    /// <param name="options">How to write approvals; null for the defaults.</param>
    /// <returns>The policy document, UTF-8 text ending with a line break.</returns>
    /// <exception cref="ArgumentException">A definition is not an object with a valid tool <c>name</c>, or two have the same name.</exception>
    public static string FromTools(IEnumerable<JsonElement> definitions, PolicyTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        options ??= new PolicyTemplateOptions();
        var tools = new SortedDictionary<string, (ToolRisk Risk, string Pin)>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var risk = ToolRisk.Classify(definition);
            if (!ToolNames.IsValid(risk.Tool))
            {
                throw new ArgumentException($"\"{risk.Tool}\" is not a valid tool name (1-128 of A-Z a-z 0-9 _ - . /), so no policy entry can name it.", nameof(definitions));
            }

            if (!tools.TryAdd(risk.Tool, (risk, ToolPin.Compute(definition))))
            {
                throw new ArgumentException($"The tool \"{risk.Tool}\" is listed twice.", nameof(definitions));
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "1");
            writer.WriteString("description", $"Starter policy for {tools.Count} tool(s), written from their definitions by PolicyEngine (docs/risk.md). Review every entry before you rely on it.");
            writer.WriteString("default", "deny");
            writer.WriteStartObject("tools");
            foreach (var (name, (risk, pin)) in tools)
            {
                writer.WriteStartObject(name);
                WriteEntry(writer, risk, pin, options);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteEntry(Utf8JsonWriter writer, ToolRisk risk, string pin, PolicyTemplateOptions options)
    {
        writer.WriteString("x-description", $"{risk.Category}, {risk.LevelName} risk: {string.Join("; ", risk.Reasons)}");
        writer.WriteString("pin", pin);
        switch (risk.Level)
        {
            case ToolRiskLevel.Low or ToolRiskLevel.Medium:
                var max = risk.Level == ToolRiskLevel.Low ? LowRiskLimit : MediumRiskLimit;
                writer.WriteStartObject("rate_limit");
                writer.WriteNumber("max", max);
                writer.WriteString("window", LimitWindow);
                writer.WriteString("on_limit", $"At most {max} calls of {risk.Tool} a minute in a session.");
                writer.WriteEndObject();
                break;
            case ToolRiskLevel.High:
                writer.WriteString("action", "require_approval");
                writer.WriteString("reason", $"{risk.Tool} is a {risk.Category} tool with high risk: a person approves each call.");
                break;
            case ToolRiskLevel.Critical when options.EngineApprovals:
                writer.WriteString("action", "require_approval");
                writer.WriteString("reason", HumanApprovalMessage);
                break;
            default:
                writer.WriteStartArray("deny_if");
                writer.WriteStartObject();
                writer.WriteStartArray("conditions");
                writer.WriteEndArray();
                writer.WriteString("on_deny", HumanApprovalMessage);
                writer.WriteEndObject();
                writer.WriteEndArray();
                break;
        }
    }
}
