using ModelContextProtocol.Protocol;

namespace PolicyEngine.ModelContextProtocol;

/// <summary>Risk classification (<see cref="ToolRisk"/>) of tools as the MCP C# SDK lists them.</summary>
public static class McpToolRisk
{
    /// <summary>Classifies a tool from its name, title, description, input schema and annotations.</summary>
    /// <param name="tool">A tool from <c>tools/list</c>.</param>
    /// <returns>The classification.</returns>
    public static ToolRisk Classify(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var hints = tool.Annotations;
        return ToolRisk.Classify(
            tool.Name,
            tool.Title ?? hints?.Title,
            tool.Description,
            tool.InputSchema,
            hints?.ReadOnlyHint,
            hints?.DestructiveHint,
            hints?.IdempotentHint,
            hints?.OpenWorldHint);
    }
}
