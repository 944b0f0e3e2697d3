using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.Tests.Properties;

namespace PolicyEngine.Redis.Tests.Properties;

/// <summary>The core tests' scenario generators (linked), for <c>[Property(Arbitrary = …)]</c>.</summary>
public static class RedisArbitraries
{
    /// <summary>Full-language scenarios: count, cost and calendar limits, sessions, per values, approvals, shadow mode, reloads.</summary>
    public static Arbitrary<Scenario> Scenarios() => Arb.From(CallGenerators.Scenario(new PolicyShape()), CallGenerators.Shrink);

    /// <summary>Long runs over few calls, so that limits fill and approvals are asked for, granted and spent.</summary>
    public static Arbitrary<StatefulScenario> StatefulScenarios() =>
        Arb.From(CallGenerators.Stateful(), s => CallGenerators.Shrink(s.Scenario).Select(x => new StatefulScenario(x)));
}
