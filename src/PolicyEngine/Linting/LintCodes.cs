namespace PolicyEngine.Linting;

/// <summary>
/// The checks of <c>policyengine lint</c>, each with a stable code (docs/lint.md). Codes are never reused: a
/// check that is removed leaves its number unused.
/// </summary>
internal static class LintCodes
{
    public const string UnreachableAfterAlwaysDeny = "PE0001";
    public const string HiddenEntry = "PE0002";
    public const string RedundantEntry = "PE0003";
    public const string ConstantCondition = "PE0004";
    public const string DoubleNegation = "PE0005";
    public const string DuplicateLiteral = "PE0006";
    public const string RegexNeverMatches = "PE0007";
    public const string RegexMisanchored = "PE0008";
    public const string LimitNeverAllows = "PE0009";
    public const string CostNotInSchema = "PE0010";
    public const string ApprovalTtlShorterThanWindow = "PE0011";
    public const string DefaultAllowWithoutLimits = "PE0012";
    public const string PinnedToolNotListed = "PE0013";
    public const string ListedToolNotCovered = "PE0014";
}
