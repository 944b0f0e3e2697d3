using System.Text.Json;

namespace PolicyEngine.Cli.Steps;

/// <summary>
/// One parsed line of a calls file. It owns the parsed JSON: <see cref="Call"/> reads from it, so the step
/// must stay undisposed until the call has been evaluated.
/// </summary>
internal sealed class Step : IDisposable
{
    private readonly JsonDocument? _document;

    private Step(StepKind kind, JsonDocument? document)
    {
        Kind = kind;
        _document = document;
    }

    public StepKind Kind { get; }

    /// <summary>The step's time (<c>at</c>), or <see langword="null"/> to keep the previous time.</summary>
    public decimal? At { get; private init; }

    /// <summary>Why the step cannot be carried out, or <see langword="null"/> when it can.</summary>
    public string? Error { get; private init; }

    /// <summary>For <see cref="StepKind.Call"/> and <see cref="StepKind.Approve"/> without <see cref="Error"/>: the call.</summary>
    public ToolCall Call { get; private init; }

    /// <summary>For <see cref="StepKind.Reload"/> without <see cref="Error"/>: the policy document's UTF-8 text.</summary>
    public ReadOnlyMemory<byte> PolicyDocument { get; private init; }

    /// <summary>For <see cref="StepKind.Reload"/>: how many characters of the line precede the policy document.</summary>
    public int PolicyColumnOffset { get; private init; }

    public static Step Unreadable(string error) => new(StepKind.Unreadable, null) { Error = error };

    public static Step Failed(StepKind kind, decimal? at, string error, JsonDocument document) =>
        new(kind, document) { At = at, Error = error };

    public static Step ForCall(StepKind kind, decimal? at, ToolCall call, JsonDocument document) =>
        new(kind, document) { At = at, Call = call };

    public static Step ForReload(decimal? at, ReadOnlyMemory<byte> policyDocument, int columnOffset, JsonDocument document) =>
        new(StepKind.Reload, document) { At = at, PolicyDocument = policyDocument, PolicyColumnOffset = columnOffset };

    public void Dispose() => _document?.Dispose();
}
