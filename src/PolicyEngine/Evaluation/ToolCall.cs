using System.Text.Json;

namespace PolicyEngine;

/// <summary>
/// One tool call to decide: the tool's name, its arguments, the session, host-supplied context and,
/// optionally, the tool's definition for pins (docs/policy-language.md#tool-definition-pins, #evaluating-a-call). Nothing is copied: the arguments are read
/// in place, either as a <see cref="JsonElement"/> or as the MCP SDK's argument dictionary.
/// </summary>
public readonly struct ToolCall
{
    /// <summary>A call with no arguments (read as <c>{}</c>).</summary>
    /// <param name="tool">The tool's name as the client sent it.</param>
    public ToolCall(string tool)
    {
        Tool = tool;
    }

    /// <summary>A call whose arguments are a JSON value; it must be an object, else the call is invalid.</summary>
    /// <param name="tool">The tool's name as the client sent it.</param>
    /// <param name="arguments">The arguments; <c>default</c> (undefined) means absent.</param>
    public ToolCall(string tool, JsonElement arguments)
    {
        Tool = tool;
        Arguments = arguments;
    }

    /// <summary>A call whose arguments come as the MCP SDK's <c>CallToolRequestParams.Arguments</c>, read without copying.</summary>
    /// <param name="tool">The tool's name as the client sent it.</param>
    /// <param name="arguments">The top-level arguments; <see langword="null"/> means absent.</param>
    public ToolCall(string tool, IDictionary<string, JsonElement>? arguments)
    {
        Tool = tool;
        ArgumentsDictionary = arguments;
    }

    /// <summary>The tool's name. Compared ordinally and case-sensitively; never normalised.</summary>
    public string Tool { get; }

    /// <summary>The arguments as one JSON value, or <c>default</c> when absent or given as a dictionary.</summary>
    public JsonElement Arguments { get; }

    /// <summary>The arguments as a dictionary of top-level properties, or <see langword="null"/>.</summary>
    public IDictionary<string, JsonElement>? ArgumentsDictionary { get; }

    /// <summary>The session the call belongs to; <see langword="null"/> reads as <c>""</c>.</summary>
    public string? SessionId { get; init; }

    /// <summary>Values the host supplies (the user, a tenant…), read by <c>context.NAME</c> paths and <c>per</c> scopes.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Context { get; init; }

    /// <summary>
    /// The tool's definition as the server lists it (<c>name</c>, <c>description</c>, <c>inputSchema</c>),
    /// for entries with a <c>pin</c>; <c>default</c> when the caller has none.
    /// </summary>
    public JsonElement Definition { get; init; }

    /// <summary>
    /// The definition's pin (<c>sha256:…</c>) if the host computed it already with <see cref="ToolPin.Compute(JsonElement)"/>;
    /// when set it is used instead of hashing <see cref="Definition"/> on every call.
    /// </summary>
    public string? DefinitionPin { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Tool} (session '{SessionId}')";
}
