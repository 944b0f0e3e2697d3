namespace PolicyEngine.Arguments;

/// <summary>Bounds on a call's arguments that are not options (docs/policy-language.md#evaluating-a-call, step 1).</summary>
internal static class ArgumentLimits
{
    /// <summary>The deepest nesting of objects and arrays accepted; deeper is an invalid call.</summary>
    public const int MaxDepth = 64;
}
