namespace PolicyEngine.Document;

internal static partial class ValidationMessages
{
    // Keys and value kinds of any object (KeyCheck); what names the object, in the words of its check.
    public static string UnknownKey(string name, string what, string[] allowed) =>
        $"Unknown key '{name}' in {what}; allowed: {string.Join(", ", allowed)}.";

    public static string NeedsKey(string what, string key) => $"{what} needs '{key}'.";

    public static string MustBeObject(string what, JNode node) => $"{what} must be an object, not {node.Describe()}.";

    public static string MustBeArray(string what, JNode node) => $"{what} must be an array, not {node.Describe()}.";

    public static string TooManyItems(string what, int maxItems) => $"{what} may hold at most {maxItems} items.";

    public static string MustBeString(string key, JNode node) => $"'{key}' must be a string, not {node.Describe()}.";

    // The document's own keys (docs/policy-language.md#the-document) and tool patterns.
    public const string Version = "'version' must be the string \"1\".";

    public const string Default = "'default' must be \"allow\" or \"deny\".";

    public const string Mode = "'mode' must be \"enforce\" or \"shadow\".";

    public static string TooManyTools(int maxEntries) => $"'tools' may hold at most {maxEntries} entries.";

    public static string ToolPatternNotString(JNode node) => $"A tool pattern must be a string, not {node.Describe()}.";

    public static string InvalidToolPattern(string text, int maxLength) =>
        $"Invalid tool pattern '{text}': 1 to {maxLength} characters, each a letter, digit, '_', '-', '.', '/' or '*'.";

    // Rule blocks (docs/policy-language.md#rule-blocks).
    public const string ActionInAllTools = "'action' is not allowed in all_tools; use deny_if with empty conditions.";

    public const string Action = "'action' must be \"allow\", \"deny\" or \"require_approval\".";

    public static string Pin(string prefix, int hexDigits) => $"'pin' must be \"{prefix}\" followed by {hexDigits} lowercase hex digits.";

    // Conditions, paths and operators (docs/policy-language.md#conditions).
    public const string ConditionForm = "A condition is one of: a leaf {path, op, value}, {all: […]}, {any: […]} or {not: …}.";

    public static string PathNotString(JNode node) => $"A path must be a string, not {node.Describe()}.";

    public static string InvalidPath(string text, string error) => $"Invalid path '{text}': {error}";

    public static string PathLength(int maxLength) => $"A path is 1 to {maxLength} characters.";

    public const string ContextPath = "A context path names a value: context.NAME.";

    public const string PathStart = "A path starts with 'args', 'context.NAME', or is 'session' or 'tool'.";

    public static string PathSegments(int maxSegments) => $"A path has at most {maxSegments} segments.";

    public static string PathPropertyName(int position) => $"Expected a property name after '.' at position {position}; use [\"…\"] for other keys.";

    public static string PathQuotedKey(int position) => $"Expected [\"key\"] with a JSON string at position {position}.";

    public static string PathIndex(int position) => $"Expected [index] with a non-negative integer at position {position}.";

    public static string PathUnexpected(char found, int position) => $"Unexpected '{found}' at position {position}.";

    public const string IgnoreCaseBoolean = "'ignore_case' must be a boolean.";

    public static string OpNotString(JNode node) => $"'op' must be a string, not {node.Describe()}.";

    public static string IgnoreCaseNotFor(string op) => $"'ignore_case' applies to string comparisons, not to '{op}'.";

    public static string UnknownOperator(string op, string operators) => $"Unknown operator '{op}'; use {operators}.";

    public static string NeedsNumber(string op, JNode node) => $"'{op}' compares with a number, not {node.Describe()}.";

    public static string RegexNotString(JNode node) => $"'regex' takes a string pattern, not {node.Describe()}.";

    public static string RegexTooLong(int maxLength) => $"A regex may be at most {maxLength} characters.";

    public static string RegexNotLinear(string reason) => $"The regex cannot be compiled in linear-time (NonBacktracking) mode: {reason}";

    public static string NeedsString(JNode node) => $"This operator takes a string, not {node.Describe()}.";

    public static string ExistsBoolean(JNode node) => $"'exists' takes true or false, not {node.Describe()}.";

    public static string LiteralKind(JNode node) => $"A literal must be a string, number, boolean or null, not {node.Describe()}.";

    // Limits (docs/policy-language.md#limits).
    public const string CostPath = "'cost' must be an args… or context.NAME path to a number.";

    public static string Window(string text) =>
        $"'window' is seconds, a duration such as \"30s\" or \"1h\", or a calendar window: \"minute\", \"hour\" or \"day\"; not '{text}'.";

    public const string MaxNumber = "'max' must be a number.";

    public static string MaxRange(decimal max) => $"'max' must be positive and at most {max}.";

    public const string MaxWhole = "'max' of a count limit must be a whole number (a fractional max needs 'cost').";

    public static string Per(string found) =>
        $"'per' is \"session\", \"global\", \"context.NAME\" or an args path such as \"args.account\", not {found}. To count per user, pass the user in the call's context and write \"context.user\".";
}
