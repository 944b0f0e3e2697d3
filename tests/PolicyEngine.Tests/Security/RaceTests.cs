using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>
/// Real threads, released together, on the engine's shared state: the counter-key cap, a reload while limits spend, and
/// approvals changed while identical calls are decided. Each round checks an exact total, never a range.
/// </summary>
public sealed class RaceTests
{
    [Fact]
    public void The_key_cap_is_exact_when_many_threads_make_new_counters_at_once()
    {
        using var engine = Engine("""{"version":"1","default":"allow","all_tools":{"limits":[{"max":5,"window":60}]}}""", configure: o => o.MaxTrackedLimitKeys = 50);
        var codes = RunTogether(8, worker => Enumerable.Range(0, 100).Select(i => engine.Evaluate(Call("t", null, $"w{worker}-s{i}")).Code).ToList());
        Assert.Equal(50, codes.Count(c => c == DecisionCodes.DefaultAllow));
        Assert.Equal(750, codes.Count(c => c == DecisionCodes.CapacityExceeded));
        Assert.Equal(50, engine.TrackedLimitKeys);
    }

    [Fact]
    public void A_reload_that_keeps_a_limit_never_lets_spends_through_twice()
    {
        // The two policies differ elsewhere (another tool's rule) and keep the limit's block, window, per and cost: its
        // counters are handed from snapshot to snapshot while four threads spend, so exactly max calls are allowed.
        const string A = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":100,"window":60,"per":"global"}]},"u":{"action":"deny"}}}""";
        const string B = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":100,"window":60,"per":"global"}]},"u":{"action":"allow"}}}""";
        var policies = new[] { Policy.Parse(A), Policy.Parse(B) };
        using var engine = Engine(A);
        int reloads = 0;
        var codes = RunTogether(5, worker =>
        {
            if (worker == 4)
            {
                for (int i = 0; i < 400; i++)
                {
                    engine.Reload(policies[i % 2]);
                    reloads++;
                }

                return [];
            }

            return Enumerable.Range(0, 100).Select(_ => engine.Evaluate(Call("t")).Code).ToList();
        });
        Assert.Equal(400, reloads);
        Assert.Equal(100, codes.Count(c => c == DecisionCodes.Allowed));
        Assert.Equal(300, codes.Count(c => c == DecisionCodes.RateLimited));
    }

    [Fact]
    public void A_reload_that_changes_only_max_applies_each_max_to_what_the_window_holds()
    {
        const string Low = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":40,"window":60,"per":"global"}]}}}""";
        const string High = """{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":60,"window":60,"per":"global"}]}}}""";
        var low = Policy.Parse(Low);
        var high = Policy.Parse(High);
        using var engine = Engine(Low);
        var codes = RunTogether(5, worker =>
        {
            if (worker == 4)
            {
                for (int i = 0; i < 400; i++)
                {
                    engine.Reload(i % 2 == 0 ? high : low);
                }

                engine.Reload(high);
                return [];
            }

            return Enumerable.Range(0, 100).Select(_ => engine.Evaluate(Call("t")).Code).ToList();
        });
        int allowed = codes.Count(c => c == DecisionCodes.Allowed);
        Assert.InRange(allowed, 40, 60); // never more than the larger max, and the smaller one always had room to fill
        int more = Enumerable.Range(0, 100).Count(_ => engine.Evaluate(Call("t")).IsAllowed);
        Assert.Equal(60, allowed + more); // with max 60 in force, the window holds exactly 60: nothing counted twice or lost
    }

    [Fact]
    public void An_approval_given_while_identical_calls_are_decided_lets_exactly_one_run()
    {
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        for (int round = 0; round < 200; round++)
        {
            var call = Call("t", "{\"n\":" + round + "}", "s");
            string id = engine.Evaluate(call).ApprovalId!;
            var results = RunTogether(4, worker => worker == 0
                ? [engine.Approve(id) ? "approved" : "not approved"]
                : Enumerable.Range(0, 50).Select(_ => engine.Evaluate(call).Code).ToList());
            Assert.Equal("approved", results.Single(r => r.Contains("approved", StringComparison.Ordinal)));
            int ran = results.Count(r => r == DecisionCodes.Allowed);
            Assert.True(ran <= 1, $"round {round}: ran {ran} times");
            if (ran == 0)
            {
                Assert.Equal(DecisionCodes.Allowed, engine.Evaluate(call).Code); // the grant was not lost: it runs now, once
            }

            Assert.Equal(DecisionCodes.ApprovalRequired, engine.Evaluate(call).Code);
        }
    }

    [Fact]
    public void Approve_racing_deny_settles_on_exactly_one()
    {
        using var engine = Engine("""{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""");
        for (int round = 0; round < 300; round++)
        {
            var call = Call("t", "{\"n\":" + round + "}", "s");
            string id = engine.Evaluate(call).ApprovalId!;
            var results = RunTogether(2, worker => new[] { worker == 0 ? engine.Approve(id) : engine.Deny(id) });
            Assert.Equal(1, results.Count(r => r));
            Assert.Equal(results[0] ? DecisionCodes.Allowed : DecisionCodes.ApprovalRequired, engine.Evaluate(call).Code);
        }
    }
}
