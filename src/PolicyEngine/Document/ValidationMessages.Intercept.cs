namespace PolicyEngine.Document;

internal static partial class ValidationMessages
{
    // An Intercept document (docs/intercept.md): what has no exact translation, and why.
    public const string InterceptVersion = "An Intercept document needs 'version: \"1\"'.";

    public const string InterceptTools = "An Intercept document needs 'tools', an object.";

    public static string InterceptGlobName(string name) =>
        $"The Intercept tool name '{name}' contains '*', which Intercept matches literally and this engine as a glob; it is not translated.";

    public static string InterceptToolEntry(JNode node) => $"An Intercept tool entry must be an object with 'rules', not {node.Describe()}.";

    public static string InterceptRules(JNode node) => $"'rules' must be a list, not {node.Describe()}.";

    public static string InterceptRule(JNode node) => $"An Intercept rule must be an object, not {node.Describe()}.";

    public const string InterceptRuleName = "An Intercept rule must have a name.";

    public const string InterceptRateLimitCombined = "'rate_limit' cannot be combined with conditions or state, nor used with action \"deny\".";

    public const string InterceptAction = "'action' must be \"evaluate\" or \"deny\".";

    public const string InterceptDenyRule = "Intercept deny rules must not have conditions or state.";

    public const string InterceptEvaluateRule = "An Intercept evaluate rule must have at least one condition (a list).";

    public const string InterceptRateLimit = "'rate_limit' must be \"<positive count>/<minute|hour|day>\", as \"5/hour\".";

    public static string InterceptUnknownKey(string name, string what, string[] allowed) =>
        $"{UnknownKey(name, what, allowed)} (Intercept ignores unknown keys; this engine refuses them so that a typo cannot pass silently.)";

    public static string InterceptMixedForms(string key) =>
        $"This document mixes the Intercept form (tools.<name>.rules) with this engine's form ('{key}'); write it in one form.";

    public static string InterceptCondition(JNode node) => $"An Intercept condition must be an object, not {node.Describe()}.";

    public const string InterceptPath = "An Intercept path must start with \"args.\" or \"state.\".";

    public const string InterceptOperator =
        "Unknown Intercept operator; use one of: eq, neq, in, not_in, lt, lte, gt, gte, regex, contains, exists.";

    public static string InterceptConditionNeeds(string key) => $"An Intercept condition needs '{key}'.";

    public static string InterceptGoText(JNode node) =>
        $"Intercept compares {node.Describe()} through Go's printed text; this value is not translated.";

    public static string InterceptList(string op) => $"Intercept's '{op}' requires a list value.";

    public const string InterceptRegex = "Intercept's 'regex' takes a string pattern.";

    public static string InterceptRe2(string reason) => $"This RE2 pattern has no exact .NET translation: {reason}.";

    public const string InterceptContains = "Intercept's 'contains' is translated for a string value (not one that a number argument could print differently).";

    public const string InterceptExists = "Intercept's 'exists' requires a boolean value.";

    public static string InterceptDuplicateCounter(string counter, int previousRule) =>
        $"Duplicate state counter \"{counter}\" (also used by rules[{previousRule}]).";

    public const string InterceptCounterUndefined = "This condition reads a counter, but the rule has no 'state' block defining it.";

    public const string InterceptState = "'state' must be an object with 'counter' and 'window'.";

    public const string InterceptStateFields =
        "'state' needs a non-empty 'counter' and a 'window' of \"minute\", \"hour\" or \"day\".";

    public const string InterceptIncrementFrom = "'increment_from' must be a path starting with \"args.\".";

    public const string InterceptIncrement =
        "'increment' must be a whole number ≥ 0 (a negative increment, which refills the counter in Intercept, is not translated).";

    public static string InterceptCounterBound(string own) =>
        $"Only a bound on this rule's own counter ('{own}' with lt or lte and a number) has an exact limit here; this condition is not translated.";

    public const string InterceptNoCallAllowed = "This counter's bound allows no call; write an 'action: deny' rule instead.";

    // Why an RE2 pattern has no exact translation: the reason InterceptRe2 quotes.
    public const string Re2AstralCharacters = "characters outside the Basic Multilingual Plane are not translated";

    public const string Re2Groups = "flags and other '(?' groups (such as (?i)) are not translated";

    public static string Re2PosixClass(string cls) => $"the class '{cls}' is not translated (negated or unknown POSIX class)";

    public const string Re2UnclosedClass = "a '[' class is not closed";

    public const string Re2TrailingBackslash = "the pattern ends with '\\'";

    public static string Re2Escape(char c) => $"the escape '\\{c}' is not translated (RE2 and .NET read it differently, or it has no exact equivalent)";

    // convert: what the JSON form would decide differently from Intercept.
    public const string NotIntercept = "This is not an Intercept document (no tools.<name>.rules); nothing to convert.";

    public static string NotConvertedOrdering(string op) =>
        $"Not converted: this '{op}' (an Intercept ordering, or part of neq / not_in against a number) compares JSON numbers only, and also as doubles, as Intercept does; in this engine's JSON form a numeric string, or a number equal to the bound as a double, would pass, which is more permissive.";

    public const string NotConvertedIncrementFrom =
        "Not converted: Intercept's increment_from takes a JSON number only; in this engine's JSON form a numeric string would be spent too, which is more permissive.";

    // The messages Intercept itself gives its decisions, which a translated rule keeps when it has none of its own.
    public static string InterceptDenied(string rule) => $"Denied by rule \"{rule}\"";

    public static string InterceptRateLimited(int count, string unit) => $"Rate limit of {count} per {unit} reached. Try again later.";

    public static string InterceptCounterExceeded(string rule) => $"Rate limit exceeded for {rule}";
}
