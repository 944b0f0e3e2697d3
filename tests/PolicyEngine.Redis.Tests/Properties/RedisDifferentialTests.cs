using FsCheck.Xunit;
using PolicyEngine.Redis.Tests.TestSupport;
using PolicyEngine.Tests.Properties;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Redis.Tests.Properties;

/// <summary>
/// Random scenarios through two evaluators on the same virtual clock, one with the default in-memory state and one on
/// the Redis store (client time): every decision (effect, code, rule, message, retry_after, shadowed) and every approval
/// result must be equal. A disagreement shrinks to a minimal scenario.
/// </summary>
/// <remarks>
/// One known difference is kept out: what a reload drops. An evaluator in memory drops, when it reloads, the counters
/// of limits the new policy no longer has and the approvals made under any other policy, so a reload from A to B and
/// back to A starts those afresh. A shared store cannot see one replica's reload (others may still run A): it keeps
/// counters and approvals until their TTLs, each bound to its limit's identity or its policy's fingerprint, and a
/// return to A finds them again. Only the first reload of a scenario is run here, so nothing dropped comes back.
/// </remarks>
public sealed class RedisDifferentialTests(RedisFixture redis)
{
    [Property(MaxTest = 400, Arbitrary = [typeof(RedisArbitraries)])]
    public void Redis_and_in_memory_agree_on_every_step(Scenario scenario) => AssertAgree(scenario);

    [Property(MaxTest = 400, Arbitrary = [typeof(RedisArbitraries)])]
    public void Redis_and_in_memory_agree_on_long_runs_over_few_calls(StatefulScenario scenario) => AssertAgree(scenario.Scenario);

    /// <summary>The scripts that serve a Redis without functions agree too.</summary>
    [Property(MaxTest = 150, Arbitrary = [typeof(RedisArbitraries)])]
    public void Redis_scripts_and_in_memory_agree_on_long_runs_over_few_calls(StatefulScenario scenario) => AssertAgree(scenario.Scenario, useFunctions: false);

    private void AssertAgree(Scenario scenario, bool useFunctions = true)
    {
        using var store = redis.Store(useFunctions: useFunctions);
        var mismatch = FirstMismatch(scenario, store);
        Assert.True(mismatch is null, mismatch);
    }

    private static string? FirstMismatch(Scenario scenario, RedisStateStore store)
    {
        // Small approval caps, so that scenarios reach them: the oldest request of a session goes, a request over the total
        // is not kept, and an approval over the grant cap fails and stays pending.
        using var memory = new EngineDriver(scenario.PolicyText, new PolicyEngineOptions { MaxPendingApprovals = 3, MaxPendingApprovalsPerSession = 2 });
        using var shared = new EngineDriver(scenario.PolicyText, new PolicyEngineOptions { MaxPendingApprovals = 3, MaxPendingApprovalsPerSession = 2, StateStore = store });
        bool reloaded = false;
        for (int i = 0; i < scenario.Steps.Count; i++)
        {
            var step = scenario.Steps[i];
            if (step is ReloadStep)
            {
                if (reloaded)
                {
                    continue;
                }

                reloaded = true;
            }

            var want = memory.Run(step);
            var got = shared.Run(step);
            if (!Equals(want, got))
            {
                return $"step {i}:\n  in memory: {want}\n  redis:     {got}\n{scenario}";
            }
        }

        return null;
    }
}
