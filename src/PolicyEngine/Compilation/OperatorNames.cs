namespace PolicyEngine.Compilation;

/// <summary>
/// The operators of docs/policy-language.md#conditions, listed once: their names in the document's order, and which of
/// them compare strings (and so take <c>ignore_case</c>). The compiler's dispatch, its error messages and the linter read
/// them from here.
/// </summary>
internal static class OperatorNames
{
    /// <summary>Every operator, in the order the language documents them.</summary>
    public static readonly string[] All = ["eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "starts_with", "ends_with", "contains", "exists"];

    /// <summary>The operators that compare strings, to which <c>ignore_case</c> applies.</summary>
    public static readonly string[] StringComparing = ["eq", "neq", "in", "not_in", "regex", "starts_with", "ends_with", "contains"];

    /// <summary>"eq, neq, …, contains or exists": the list as a sentence names them.</summary>
    public static string AsSentence() => string.Join(", ", All[..^1]) + " or " + All[^1];
}
