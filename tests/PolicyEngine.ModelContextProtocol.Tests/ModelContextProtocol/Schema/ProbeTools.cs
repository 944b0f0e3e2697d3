using System.Collections.Concurrent;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>The enum: the SDK lists it as <c>"enum": ["Buy","Sell"]</c> and reads it with JsonStringEnumConverter.</summary>
public enum Side
{
    Buy,
    Sell,
}

/// <summary>A nested object whose properties the SDK lists in camel case and binds in any case.</summary>
public sealed class TransferRequest
{
    public decimal Amount { get; set; }

    public string? To { get; set; }
}

/// <summary>An array item with an enum, a string and an integer.</summary>
public sealed class OrderLine
{
    public string? Symbol { get; set; }

    public Side Side { get; set; }

    public int Count { get; set; }
}

/// <summary>
/// Tools with enum, nested-object, array and number parameters. Each records the values it was bound with, as JSON
/// paths (<c>request.amount</c>, <c>lines[0].side</c>) to the .NET values, so a test compares them with the arguments.
/// </summary>
internal sealed class ProbeTools
{
    public ConcurrentQueue<(string Tool, Dictionary<string, object?> Values)> Received { get; } = new();

    public McpServerTool[] Create() =>
    [
        McpServerTool.Create((Side side, decimal quantity) => Record("order", new() { ["side"] = side, ["quantity"] = quantity }), new() { Name = "order" }),
        McpServerTool.Create((TransferRequest request) => Record("transfer_request", new()
        {
            ["request"] = request is null ? null : "object",
            ["request.amount"] = request?.Amount,
            ["request.to"] = request?.To,
        }), new() { Name = "transfer_request" }),
        McpServerTool.Create((OrderLine[] lines) => Record("batch", Lines(lines)), new() { Name = "batch" }),
        McpServerTool.Create((double ratio, int count, long? big) => Record("measure", new() { ["ratio"] = ratio, ["count"] = count, ["big"] = big }), new() { Name = "measure" }),
    ];

    private static Dictionary<string, object?> Lines(OrderLine[]? lines)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["lines.length"] = lines?.Length };
        for (var i = 0; lines is not null && i < lines.Length; i++)
        {
            values[$"lines[{i}].symbol"] = lines[i]?.Symbol;
            values[$"lines[{i}].side"] = lines[i]?.Side;
            values[$"lines[{i}].count"] = lines[i]?.Count;
        }

        return values;
    }

    private string Record(string tool, Dictionary<string, object?> values)
    {
        Received.Enqueue((tool, values));
        return "ran " + tool;
    }
}
