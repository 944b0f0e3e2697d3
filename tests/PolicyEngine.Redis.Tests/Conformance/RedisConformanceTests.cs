using System.Text;
using Microsoft.Extensions.Time.Testing;
using PolicyEngine.Redis.Tests.TestSupport;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Redis.Tests.Conformance;

/// <summary>
/// Every conformance case, step by step, through an evaluator on the Redis store (client time, on the case's virtual
/// clock) and one with the default in-memory state: each answer must be the same text (code, rule, message,
/// retry_after, approval id, shadowed), and must match the case's expectations.
/// </summary>
public sealed class RedisConformanceTests(RedisFixture redis)
{
    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    [Fact]
    public void Every_case_file_is_a_row() => Assert.True(Cases.Count >= 33, $"only {Cases.Count} case files found");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_gives_the_in_memory_answers(string caseFile)
    {
        using var store = redis.Store();
        Run(caseFile, store);
    }

    /// <summary>The same through the scripts that serve a Redis without functions (before 7, or refused by an ACL).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_gives_the_in_memory_answers_as_scripts(string caseFile)
    {
        using var store = redis.Store(useFunctions: false);
        Run(caseFile, store);
    }

    private static void Run(string caseFile, RedisStateStore store)
    {
        using var file = ConformanceCaseRunner.Load(caseFile);
        var testCase = file.RootElement;
        if (testCase.TryGetProperty("expect_errors", out _))
        {
            return; // a document the parser rejects: no state involved
        }

        var policy = Policy.Parse(Encoding.UTF8.GetBytes(ConformanceCaseRunner.PolicyText(testCase)));
        var memoryClock = new FakeTimeProvider(ConformanceCaseRunner.Epoch);
        var redisClock = new FakeTimeProvider(ConformanceCaseRunner.Epoch);
        using var inMemory = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = memoryClock });
        using var shared = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = redisClock, StateStore = store });
        int index = 0;
        foreach (var step in testCase.GetProperty("steps").EnumerateArray())
        {
            string want = ConformanceCaseRunner.Answer(step, inMemory, memoryClock).ToJsonString();
            string got = ConformanceCaseRunner.Answer(step, shared, redisClock).ToJsonString();
            Assert.True(want == got, $"{caseFile} step {index}:\n in memory: {want}\n redis:     {got}");
            using var answer = System.Text.Json.JsonDocument.Parse(got);
            Assert.Null(ConformanceCaseRunner.Match(step.GetProperty("expect"), answer.RootElement, $"{caseFile} step {index}"));
            index++;
        }
    }
}
