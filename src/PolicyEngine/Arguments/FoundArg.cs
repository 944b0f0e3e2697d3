using System.Text.Json;

namespace PolicyEngine.Arguments;

/// <summary>A top-level argument the validator found, with its kind (read once); undefined when absent.</summary>
internal readonly record struct FoundArg(JsonElement Element, JsonValueKind Kind);
