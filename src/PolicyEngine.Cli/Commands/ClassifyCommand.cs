using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>policyengine classify</c>: the category, risk and reasons of every tool of a server, as a table or JSON.</summary>
internal static class ClassifyCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--json" };

    public static readonly IReadOnlySet<string> Options = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Indented JSON with "\n" line breaks and quotes left readable.</summary>
    public static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static int Run(ToolListArguments arguments, Stream stdout, TextWriter stderr)
    {
        IReadOnlyList<ToolRisk> risks;
        try
        {
            risks = ToolSource.Load(arguments).Select(ToolRisk.Classify).ToList();
        }
        catch (ToolSourceException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return e.ExitCode;
        }

        if (arguments.Flags.Contains("--json"))
        {
            WriteJson(risks, stdout);
        }
        else
        {
            stdout.Write(Encoding.UTF8.GetBytes(Table(risks)));
        }

        stdout.Flush();
        return ExitCodes.Ok;
    }

    /// <summary>One row per tool in listing order: tool, category, risk, reasons.</summary>
    public static string Table(IReadOnlyList<ToolRisk> risks)
    {
        var rows = risks.Select(r => (r.Tool, Category: r.Category.ToString(), Risk: r.LevelName, Reasons: string.Join("; ", r.Reasons))).ToList();
        var toolWidth = rows.Select(r => r.Tool.Length).Append("TOOL".Length).Max();
        var categoryWidth = rows.Select(r => r.Category.Length).Append("CATEGORY".Length).Max();
        var text = new StringBuilder();
        void Row(string tool, string category, string risk, string reasons) =>
            text.Append(tool.PadRight(toolWidth)).Append("  ").Append(category.PadRight(categoryWidth)).Append("  ")
                .Append(risk.PadRight("critical".Length)).Append("  ").Append(reasons).Append('\n');
        Row("TOOL", "CATEGORY", "RISK", "REASONS");
        foreach (var row in rows)
        {
            Row(row.Tool, row.Category, row.Risk, row.Reasons);
        }

        return text.ToString();
    }

    private static void WriteJson(IReadOnlyList<ToolRisk> risks, Stream stdout)
    {
        using (var writer = new Utf8JsonWriter(stdout, JsonOptions))
        {
            writer.WriteStartArray();
            foreach (var risk in risks)
            {
                writer.WriteStartObject();
                writer.WriteString("tool", risk.Tool);
                writer.WriteString("category", risk.Category.ToString());
                writer.WriteString("risk", risk.LevelName);
                writer.WriteStartArray("reasons");
                foreach (var reason in risk.Reasons)
                {
                    writer.WriteStringValue(reason);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        stdout.Write("\n"u8);
    }
}
