namespace PolicyEngine.Arguments;

/// <summary>
/// What rules read while one call is evaluated: the call itself, by reference, never copied, and the
/// top-level arguments the validator already found for the plan's paths.
/// </summary>
internal readonly ref struct EvalContext
{
    private readonly ReadOnlySpan<FoundArg> _found;
    private readonly int[] _ids;

    public EvalContext(ref readonly ToolCall call)
    {
        Call = ref call;
        _ids = [];
    }

    /// <param name="call">The call.</param>
    /// <param name="ids">The policy-wide ids of the names looked for.</param>
    /// <param name="found">What was found for each of them (undefined when absent).</param>
    /// <param name="unescaped">The arguments' JSON text has no escape at all.</param>
    public EvalContext(ref readonly ToolCall call, int[] ids, ReadOnlySpan<FoundArg> found, bool unescaped)
    {
        Call = ref call;
        _ids = ids;
        _found = found;
        ArgumentsUnescaped = unescaped;
    }

    public readonly ref readonly ToolCall Call;

    /// <summary>The arguments' JSON text has no escape at all, so their strings need no escape search.</summary>
    public bool ArgumentsUnescaped { get; }

    /// <summary>
    /// The top-level argument with policy-wide name id <paramref name="id"/>, when the validator looked for it:
    /// then an undefined <paramref name="value"/> means the argument is absent.
    /// </summary>
    public bool TryGetFound(int id, out FoundArg value)
    {
        // At most ArgSlot.Capacity ids, one per found slot: a plain loop beats the general search.
        for (int i = 0; i < _found.Length; i++)
        {
            if (_ids[i] == id)
            {
                value = _found[i];
                return true;
            }
        }

        value = default;
        return false;
    }
}
