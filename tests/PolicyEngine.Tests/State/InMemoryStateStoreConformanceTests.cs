using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.State;

/// <summary>
/// Every conformance case with limits and approvals in <see cref="PolicyStateStore.CreateInMemory"/>, reached through the
/// shared-store path (one request per call, the gate, the denied cache): the answers must be the ones the spec expects,
/// as on the evaluator's own state.
/// </summary>
public sealed class InMemoryStateStoreConformanceTests
{
    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_passes_with_the_in_memory_store(string caseFile) =>
        Assert.Null(ConformanceCaseRunner.RunThroughApi(caseFile, clock => PolicyStateStore.CreateInMemory(new PolicyEngineOptions { TimeProvider = clock })));
}
