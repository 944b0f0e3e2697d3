using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Hosting;

/// <summary><c>AddPolicyEngine(...).WithCandidate(path)</c>: the candidate is loaded with the engine and logs to the registered telemetry.</summary>
public sealed class CandidateHostingTests
{
    [Fact]
    public void WithCandidate_runs_the_file_in_shadow_and_logs_disagreements_to_the_telemetry_log()
    {
        using var candidateFile = new TempPolicyFile(Policies.DenyAll, "policy.next.json");
        using var log = new StringWriter();
        using var provider = new ServiceCollection()
            .AddSingleton(new PolicyTelemetry(new PolicyDecisionLogger(log)))
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll).WithCandidate(candidateFile.Path))
            .BuildServiceProvider();

        var evaluator = provider.GetRequiredService<PolicyEvaluator>();
        Assert.Equal(Policy.Parse(Policies.DenyAll).Fingerprint, evaluator.Candidate!.Policy.Fingerprint);
        Assert.True(evaluator.Evaluate(new ToolCall("anything")).IsAllowed);
        Assert.Equal(1L, evaluator.Candidate.Disagreements);
        using var line = JsonDocument.Parse(log.ToString());
        Assert.Equal("candidate_disagreement", line.RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public void An_invalid_candidate_fails_when_the_engine_is_built()
    {
        using var candidateFile = new TempPolicyFile("""{"version": "1", "default": "maybe"}""");
        using var provider = new ServiceCollection()
            .AddPolicyEngine(e => e.FromJson(Policies.AllowAll).WithCandidate(candidateFile.Path))
            .BuildServiceProvider();
        Assert.Throws<PolicyValidationException>(() => provider.GetRequiredService<PolicyEvaluator>());
    }
}
