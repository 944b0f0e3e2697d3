namespace PolicyEngine.Tests.Conformance;

/// <summary>Every conformance case, run through the public API (Policy.TryParse, PolicyEvaluator on a fake clock).</summary>
public sealed class ConformanceApiTests
{
    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    [Fact]
    public void Every_case_file_is_a_row() => Assert.True(Cases.Count >= 33, $"only {Cases.Count} case files found in {ConformanceCaseRunner.CasesDirectory}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_passes_through_the_api(string caseFile) => Assert.Null(ConformanceCaseRunner.RunThroughApi(caseFile));
}
