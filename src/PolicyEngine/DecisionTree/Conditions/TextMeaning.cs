namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>
/// The one definition of what the text operators mean (docs/policy-language.md#conditions, rules 3, 5 and 6), on the
/// value's UTF-16 text: ordinal, or ordinal ignoring case, never culture-aware. The faster paths of
/// <see cref="TextCondition"/> and <see cref="LiteralSet"/> (raw UTF-8 bytes compared in place, regexes that are only
/// words) must answer exactly as these do; the contract tests (<c>StringOperatorContract</c> and the classes that
/// derive from it, one per way a value reaches the engine) hold them to it.
/// </summary>
internal static class TextMeaning
{
    public static bool StartsWith(ReadOnlySpan<char> value, string literal, StringComparison comparison) => value.StartsWith(literal, comparison);

    public static bool EndsWith(ReadOnlySpan<char> value, string literal, StringComparison comparison) => value.EndsWith(literal, comparison);

    /// <summary><c>contains</c> on a string value: an ordinal substring.</summary>
    public static bool Contains(ReadOnlySpan<char> value, string literal, StringComparison comparison) => value.Contains(literal, comparison);

    /// <summary>Equality of two strings (<c>eq</c>, <c>in</c>; <c>neq</c> and <c>not_in</c> negate it): numeric-looking strings are still strings.</summary>
    public static bool Equal(ReadOnlySpan<char> value, string literal, StringComparison comparison) => value.Equals(literal, comparison);

    /// <summary>The comparison <c>ignore_case</c> selects.</summary>
    public static StringComparison Comparison(bool ignoreCase) => ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
