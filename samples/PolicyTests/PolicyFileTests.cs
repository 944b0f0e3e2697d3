using PolicyEngine.Testing;

namespace PolicyTests;

/// <summary>
/// Runs every policy test under policies/ (the same files `policyengine test policies` runs) as one theory row
/// each, so a failing step shows up in the test run with what was expected and what the policy answered.
/// </summary>
public sealed class PolicyFileTests
{
    public static TheoryData<string> Tests =>
        new(PolicyTestRunner.FindTests(Path.Combine(AppContext.BaseDirectory, "policies"))
            .Select(path => Path.GetRelativePath(AppContext.BaseDirectory, path)));

    [Theory]
    [MemberData(nameof(Tests))]
    public void Policy_test_passes(string test) => PolicyTestRunner.AssertPasses(Path.Combine(AppContext.BaseDirectory, test));

    [Fact]
    public void The_policy_has_tests() => Assert.NotEmpty(Tests);
}
