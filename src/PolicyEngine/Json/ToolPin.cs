using System.Text.Json;
using PolicyEngine.Json;

namespace PolicyEngine;

/// <summary>Computes tool definition pins (docs/policy-language.md#tool-definition-pins): <c>sha256:</c> + the hex SHA-256 of the canonical <c>{name, description, inputSchema}</c>.</summary>
public static class ToolPin
{
    /// <summary>The pin of a tool definition as a server lists it. Keys other than <c>name</c>, <c>description</c> and <c>inputSchema</c> are ignored.</summary>
    /// <param name="definition">A JSON object.</param>
    /// <returns>The pin, e.g. <c>sha256:0312…</c>.</returns>
    /// <exception cref="ArgumentException">The definition is not a JSON object.</exception>
    public static string Compute(JsonElement definition) =>
        PinHasher.TryCompute(definition, out var pin) ? pin : throw new ArgumentException("A tool definition must be a JSON object.", nameof(definition));

    /// <summary>The pin of a tool definition given as its parts.</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="description">The tool's description, if it has one.</param>
    /// <param name="inputSchema">The tool's input schema.</param>
    /// <returns>The pin.</returns>
    public static string Compute(string name, string? description, JsonElement inputSchema)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PinHasher.Compute(name, description, inputSchema);
    }
}
