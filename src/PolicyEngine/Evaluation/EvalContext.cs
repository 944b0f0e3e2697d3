namespace PolicyEngine.Evaluation;

/// <summary>What rules read while one call is evaluated: the call itself, by reference, never copied.</summary>
internal readonly ref struct EvalContext
{
    public EvalContext(ref readonly ToolCall call) => Call = ref call;

    public readonly ref readonly ToolCall Call;
}
