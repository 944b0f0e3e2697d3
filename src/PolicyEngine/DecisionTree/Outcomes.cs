using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree;

/// <summary>The outcomes that do not depend on a policy, created once per process.</summary>
internal static class Outcomes
{
    public static readonly DecisionOutcome InternalError = new(PolicyEffect.Deny, DecisionCodes.InternalError, null,
        "The policy engine failed while deciding this call, so it was denied.");

    public static readonly DecisionOutcome Shadow = new(PolicyEffect.Allow, DecisionCodes.Shadow, null, null);

    public static readonly DecisionOutcome InvalidName = Invalid($"The tool name is invalid: it must be 1 to {ToolNames.MaxLength} characters, each a letter, digit, '_', '-', '.' or '/'.");
    public static readonly DecisionOutcome ArgumentsNotObject = Invalid("The arguments must be a JSON object.");
    public static readonly DecisionOutcome DuplicateKey = Invalid("The arguments repeat a property name.");
    /// <summary>Names the two names (created per call: only an invalid call pays for it).</summary>
    public static DecisionOutcome CaseVariants(string first, string second) => Invalid(
        $"The arguments hold the names '{first}' and '{second}' in one object: they differ only in letter case, and a tool that reads names ignoring case would take them as one.");

    public static readonly DecisionOutcome TooDeep = Invalid($"The arguments are nested deeper than {ArgumentLimits.MaxDepth} levels.");
    public static readonly DecisionOutcome TooManyValues = Invalid("The arguments hold more values than this host accepts.");
    public static readonly DecisionOutcome StringTooLong = Invalid("The arguments hold a string longer than this host accepts.");

    public static readonly DecisionOutcome StateUnavailable = new(PolicyEffect.Deny, DecisionCodes.StateUnavailable, null,
        "The shared state that limits and approvals need could not be reached in time, so the call was denied; try again shortly.");

    public static readonly DecisionOutcome CapacityExceeded = new(PolicyEffect.Deny, DecisionCodes.CapacityExceeded, null,
        "The engine is tracking as many limit counters as it is configured for; calls that need a new one are refused until idle ones expire.");

    private static DecisionOutcome Invalid(string message) => new(PolicyEffect.Deny, DecisionCodes.InvalidCall, null, message);
}
