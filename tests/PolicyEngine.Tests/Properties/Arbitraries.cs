using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Tests.Properties;

/// <summary>FsCheck arbitraries registered through <c>[Property(Arbitrary = …)]</c>.</summary>
public static class Arbitraries
{
    /// <summary>Full-language scenarios: limits, approvals, shadow mode, reloads.</summary>
    public static Arbitrary<Scenario> Scenarios() =>
        Arb.From(CallGenerators.Scenario(new PolicyShape()), CallGenerators.Shrink);

    /// <summary>A stateless policy (no limits, approvals or shadow mode) and one ordinary or hostile call.</summary>
    public static Arbitrary<PolicyAndCall> StatelessCalls() =>
        Arb.From(
            from p in PolicyGenerators.Policy(PolicyShape.Stateless)
            from c in Gen.Frequency((4, CallGenerators.Call()), (1, CallGenerators.ComparableHostile()))
            select new PolicyAndCall(p, c),
            pc => PolicyShrinker.Shrink(pc.PolicyText).Select(t => pc with { PolicyText = t }));

    /// <summary>Any valid policy and any call, hostile ones weighted up (for totality).</summary>
    public static Arbitrary<HostileCase> HostileCalls() =>
        Arb.From(
            from p in PolicyGenerators.Policy(new PolicyShape())
            from c in CallGenerators.Hostile()
            select new HostileCase(p, c));

    /// <summary>A stateless policy with a list of calls (for the culture and round-trip properties).</summary>
    public static Arbitrary<(string Policy, RefCall[] Calls)> PolicyWithCalls() =>
        Arb.From(
            from p in PolicyGenerators.Policy(new PolicyShape())
            from n in Gen.Choose(1, 8)
            from calls in Gen.ArrayOf(CallGenerators.Call(), n)
            select (p, calls));
}
