using System.Text.Json;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>A literal of a policy condition: a JSON scalar, parsed once.</summary>
internal readonly record struct Literal(JsonValueKind Kind, string? Text, decimal Number, bool IsNumericText);
