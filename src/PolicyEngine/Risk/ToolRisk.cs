using System.Text.Json;
using PolicyEngine.Risk;

namespace PolicyEngine;

/// <summary>
/// The risk classification of one tool: its <see cref="Category"/>, risk <see cref="Level"/> and every signal that led
/// there. Deterministic: no model and no network, only the words of the definition (docs/risk.md). The definition is
/// written by the server's author, who can be wrong or lie; pin the definition a policy was written for (docs/policy-language.md#tool-definition-pins).
/// </summary>
public sealed class ToolRisk
{
    private ToolRisk(string tool, ToolCategory category, ToolRiskLevel level, IReadOnlyList<string> reasons)
    {
        Tool = tool;
        Category = category;
        Level = level;
        Reasons = reasons;
    }

    /// <summary>The tool's name.</summary>
    public string Tool { get; }

    /// <summary>What the tool does: the first category that applies.</summary>
    public ToolCategory Category { get; }

    /// <summary>How much harm one call can do.</summary>
    public ToolRiskLevel Level { get; }

    /// <summary>The level as written in reports and policies: <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    public string LevelName => NameOf(Level);

    /// <summary>Every signal that fired, in a form a person can check, e.g. <c>verb "cancel" in name</c>.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Classifies a tool definition as a server lists it in <c>tools/list</c>.</summary>
    /// <param name="definition">A JSON object with <c>name</c> and optionally <c>title</c>, <c>description</c>, <c>inputSchema</c> and <c>annotations</c>.</param>
    /// <returns>The classification.</returns>
    /// <exception cref="ArgumentException">The definition is not an object with a string <c>name</c>.</exception>
    public static ToolRisk Classify(JsonElement definition) => Classify(ToolFacts.From(definition));

    /// <summary>Classifies a tool definition given as its parts.</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="title">The tool's title, if it has one.</param>
    /// <param name="description">The tool's description, if it has one.</param>
    /// <param name="inputSchema">The tool's input schema (a default <see cref="JsonElement"/> when there is none).</param>
    /// <param name="readOnlyHint">The <c>readOnlyHint</c> annotation, if declared.</param>
    /// <param name="destructiveHint">The <c>destructiveHint</c> annotation, if declared.</param>
    /// <param name="idempotentHint">The <c>idempotentHint</c> annotation, if declared.</param>
    /// <param name="openWorldHint">The <c>openWorldHint</c> annotation, if declared.</param>
    /// <returns>The classification.</returns>
    public static ToolRisk Classify(
        string name,
        string? title,
        string? description,
        JsonElement inputSchema,
        bool? readOnlyHint = null,
        bool? destructiveHint = null,
        bool? idempotentHint = null,
        bool? openWorldHint = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Classify(new ToolFacts(name, title, description, inputSchema, readOnlyHint, destructiveHint, idempotentHint, openWorldHint));
    }

    /// <summary>The lower-case name of a level: <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    /// <param name="level">A level.</param>
    /// <returns>Its name.</returns>
    public static string NameOf(ToolRiskLevel level) => level switch
    {
        ToolRiskLevel.Low => "low",
        ToolRiskLevel.Medium => "medium",
        ToolRiskLevel.High => "high",
        ToolRiskLevel.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>A sentence such as <c>transfer is a Financial tool with critical risk.</c></summary>
    /// <returns>The sentence.</returns>
    public override string ToString() => $"{Tool} is a {Category} tool with {LevelName} risk.";

    private static ToolRisk Classify(ToolFacts facts)
    {
        var evidence = ToolEvidence.Gather(facts, RiskVocabulary.Default);
        var (category, level) = RiskRules.Decide(evidence);
        return new ToolRisk(facts.Name, category, level, evidence.Reasons.ToArray().AsReadOnly());
    }
}
