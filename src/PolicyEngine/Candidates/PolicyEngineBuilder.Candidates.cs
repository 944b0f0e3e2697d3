using Microsoft.Extensions.DependencyInjection;

namespace PolicyEngine;

/// <summary>The candidate policy of a registered engine (<see cref="CandidatePolicy"/>).</summary>
public sealed partial class PolicyEngineBuilder
{
    /// <summary>The candidate policy file, when one was given.</summary>
    public string? CandidateFilePath { get; private set; }

    /// <summary>
    /// Decides every call under the policy in <paramref name="path"/> too, in shadow: the enforced policy's decision is
    /// returned unchanged, and calls the candidate decides differently are reported (<see cref="CandidatePolicy"/>),
    /// also in the decision log of a <see cref="PolicyTelemetry"/> registered in the container. Read when the engine is built.
    /// </summary>
    /// <param name="path">The candidate policy file; a relative path is resolved against the current directory now.</param>
    /// <returns>This builder.</returns>
    public PolicyEngineBuilder WithCandidate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CandidateFilePath = Path.GetFullPath(path);
        return this;
    }

    private void AttachCandidate(PolicyEvaluator evaluator, IServiceProvider services)
    {
        if (CandidateFilePath is not { } path)
        {
            return;
        }

        try
        {
            evaluator.SetCandidate(Policy.LoadFile(path)).DecisionLogger = services.GetService<PolicyTelemetry>()?.DecisionLogger;
        }
        catch
        {
            evaluator.Dispose();
            throw;
        }
    }
}
