using System.Globalization;
using PolicyEngine.Document;

namespace PolicyEngine.DecisionTree;

/// <summary>
/// Outcomes of rules, made when a decision first reports them rather than while the policy is built: a large
/// policy has tens of thousands of rules, and as objects made up front, each with its pointer string, they were
/// most of what a collection during <see cref="Policy.Parse(string)"/> had to copy. Once made, an outcome is
/// published once, so every later decision shares the one instance and allocates nothing.
/// </summary>
internal static class RuleOutcomes
{
    /// <summary>The pointer of <c>all_tools</c> (null) or of the tools entry with key <paramref name="toolKey"/>.</summary>
    public static string BlockPointer(string? toolKey) => toolKey is null ? "/all_tools" : "/tools/" + JsonPointer.Escape(toolKey);

    /// <summary>The pointer of item <paramref name="index"/> of the array <paramref name="key"/> in a block.</summary>
    public static string ItemPointer(string blockPointer, string key, int index) =>
        string.Concat(blockPointer, "/", key, "/", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>Stores <paramref name="made"/> unless another thread stored one first; returns the one stored.</summary>
    public static DecisionOutcome Publish(ref DecisionOutcome? slot, DecisionOutcome made) =>
        Interlocked.CompareExchange(ref slot, made, null) ?? made;
}
