namespace PolicyEngine.DecisionTree;

/// <summary>The outcomes that do not depend on a policy, created once per process; their words are in <see cref="Sentences"/>.</summary>
internal static class Outcomes
{
    public static readonly DecisionOutcome InternalError = new(PolicyEffect.Deny, DecisionCodes.InternalError, null, Sentences.InternalError);

    public static readonly DecisionOutcome Shadow = new(PolicyEffect.Allow, DecisionCodes.Shadow, null, null);

    public static readonly DecisionOutcome InvalidName = Invalid(Sentences.InvalidName);

    public static readonly DecisionOutcome ArgumentsNotObject = Invalid(Sentences.ArgumentsNotObject);

    public static readonly DecisionOutcome DuplicateKey = Invalid(Sentences.DuplicateKey);

    public static readonly DecisionOutcome TooDeep = Invalid(Sentences.TooDeep);

    public static readonly DecisionOutcome TooManyValues = Invalid(Sentences.TooManyValues);

    public static readonly DecisionOutcome StringTooLong = Invalid(Sentences.StringTooLong);

    public static readonly DecisionOutcome StateUnavailable = new(PolicyEffect.Deny, DecisionCodes.StateUnavailable, null, Sentences.StateUnavailable);

    public static readonly DecisionOutcome CapacityExceeded = new(PolicyEffect.Deny, DecisionCodes.CapacityExceeded, null, Sentences.CapacityExceeded);

    /// <summary>Names the two names (created per call: only an invalid call pays for it).</summary>
    public static DecisionOutcome CaseVariants(string first, string second) => Invalid(Sentences.CaseVariants(first, second));

    private static DecisionOutcome Invalid(string message) => new(PolicyEffect.Deny, DecisionCodes.InvalidCall, null, message);
}
