namespace PolicyEngine.Linting;

/// <summary>
/// Every sentence a lint finding says (docs/lint.md), in one place, in the order of <see cref="LintCodes"/>, as
/// <c>Document/ValidationMessages</c> holds the errors and <c>DecisionTree/Sentences</c> the decisions. Pointers and
/// durations come in already written.
/// </summary>
internal static class LintMessages
{
    // PE0001
    public static string UnreachableAfterAlwaysDeny(bool isDenyAction, bool isAllTools, IEnumerable<string> later) =>
        $"This rule {(isDenyAction ? "is \"deny\"" : "has empty conditions")}, so it denies every call{(isAllTools ? "" : " of this entry")} and these never apply: {string.Join(", ", later)}.";

    // PE0002
    public static string HiddenEntry(string hidePointer, string hidePattern, string? exactTool) =>
        $"{hidePointer} (\"{hidePattern}\") hides {(exactTool is null ? "every tool this entry matches" : $"the tool '{exactTool}'")}, so its calls are denied as hidden and this entry never applies.";

    // PE0003
    public static string TwinGlobs(string glob, string twin, string twinPointer) =>
        $"\"{glob}\" matches exactly the tools that \"{twin}\" ({twinPointer}) matches; both apply to each of their calls. Merge them into one entry.";

    public static string SameRulesAsGlob(string glob, string globPointer, string exact) =>
        $"This entry has the same rules as \"{glob}\" ({globPointer}), which matches '{exact}' too, so every rule is checked twice (and each limit counts on its own). Remove one of them.";

    // PE0004
    public const string EmptyIn = "'in' with an empty list never holds.";

    public const string EmptyNotIn = "'not_in' with an empty list holds for every value that is present; say so with 'exists'.";

    public static string NeverAllHold(string path, string listPointer) =>
        $"No value of '{path}' passes this condition and the ones before it in {listPointer}: they can never all hold.";

    // PE0005
    public static string DoubleNegation(string innerPointer) =>
        $"A 'not' of a 'not' is the inner condition itself; write {innerPointer} without both.";

    // PE0006
    public static string DuplicateLiteral(string firstPointer) => $"This literal repeats {firstPointer}; remove one.";

    // PE0007 and PE0008, with the reason.
    public static string RegexNeverMatches(string why) => $"This regex can never match: {why}";

    public static string RegexAnchoredInMiddle(string why) => $"This regex is anchored in the middle: {why}";

    public const string CaretAfterCharacters =
        "'^' follows other characters, and matches only at the start of the value; escape it (\\^) to match a '^'.";

    public const string DollarBeforeCharacters =
        "'$' has characters after it, and matches only at the very end of the value; escape it (\\$) to match a '$'.";

    public const string AnchoredAlternatives =
        "'^' and '$' bind to the first and last alternatives only, not to the whole '|'; group the alternatives: ^(A|B)$.";

    // PE0009
    public static string LimitNeverAllows(string itemPointer, string? max, string? cost) =>
        $"Every call that passes {itemPointer} spends more than this max ({max}) of '{cost}', so this limit never allows one.";

    // PE0010
    public static string CostNotInSchema(string tool, string? property) =>
        $"The pinned definition of '{tool}' declares no '{property}' in its input schema, so no call carries this cost and every one is denied as indeterminate.";

    // PE0011
    public static string ApprovalTtlShorterThanWindow(string ttl, bool defaultTtl, string window, string limitPointer, string approvalPointer) =>
        $"Approvals expire after {ttl}{(defaultTtl ? " (the default approval_ttl)" : "")}, sooner than the {window} window of {limitPointer} on the calls {approvalPointer} gates: an approved call that is then rate limited may need approving again before it fits.";

    // PE0012
    public const string DefaultAllowWithoutLimits =
        "Every tool is allowed by default and no entry has a limit: an agent can call any tool, including ones the server adds later, without bound. Add a limit to all_tools.";

    // PE0013
    public static string PinnedToolGone(string entry) =>
        $"No tool in the listing has the pinned definition (nor the name '{entry}'): this entry's tool is gone or has changed.";

    public static string PinnedToolChanged(string tool, string pin) =>
        $"The listed '{tool}' has the pin {pin}, not this one: its calls are denied with definition_changed until the pin is updated (policyengine pin).";

    // PE0014
    public static string ListedToolAllowed(string tool) => $"The listed tool '{tool}' has no entry: it is allowed by default, with no rules and no limits.";

    public static string ListedToolDenied(string tool) => $"The listed tool '{tool}' has no entry: every call to it is denied by default.";
}
