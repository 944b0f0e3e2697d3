using System.Globalization;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Evaluation;

/// <summary>
/// The second CI run is meant to run the whole suite under tr-TR. This proves it did: .ci/run sets
/// POLICYENGINE_EXPECT_CULTURE for that run, and the culture in force must then be it, with ICU's Turkish
/// casing (not invariant globalization, where every culture behaves like the invariant one).
/// </summary>
public class CultureCanaryTests
{
    [Fact]
    public void The_culture_the_run_asked_for_is_in_force_with_its_casing()
    {
        var expected = Environment.GetEnvironmentVariable("POLICYENGINE_EXPECT_CULTURE");
        Assert.SkipWhen(string.IsNullOrEmpty(expected), "no culture asked for (only .ci/run's tr-TR run sets POLICYENGINE_EXPECT_CULTURE)");
        Assert.Equal(expected, CultureInfo.CurrentCulture.Name);
        if (expected == "tr-TR")
        {
            Assert.Equal("\u0130", "i".ToUpper(CultureInfo.CurrentCulture)); // dotted capital I: Turkish rules are really loaded
        }
    }

    // ignore_case is ordinal: I and i are one letter, İ (U+0130) and ı (U+0131) are not i or I, under any culture.
    // A culture-aware comparison under tr-TR folds I with ı and İ with i instead.
    [Theory]
    [InlineData("I", "i", true)]
    [InlineData("i", "I", true)]
    [InlineData("\u0130", "i", false)]
    [InlineData("\u0131", "I", false)]
    [InlineData("FILE", "file", true)]
    [InlineData("F\u0130LE", "file", false)]
    public void Ignore_case_folds_letters_ordinally_even_under_tr_TR(string literal, string value, bool equal)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
        try
        {
            // Every operator that takes ignore_case: eq, neq, a small and a hashed (more than 8 literals) in and
            // not_in, starts_with and contains. neq and not_in hold exactly when the others do not.
            string small = $"[\"{literal}\",\"zz\"]";
            string hashed = $"[\"{literal}\",\"zz\",\"yy\",\"xx\",\"ww\",\"vv\",\"uu\",\"tt\",\"ss\"]";
            var cases = new[]
            {
                ("eq", $"\"{literal}\"", true), ("neq", $"\"{literal}\"", false),
                ("in", small, true), ("in", hashed, true), ("not_in", small, false), ("not_in", hashed, false),
                ("starts_with", $"\"{literal}\"", true), ("contains", $"\"{literal}\"", true),
            };
            foreach (var (op, literalJson, positive) in cases)
            {
                var condition = $$"""{"path":"args.v","op":"{{op}}","value":{{literalJson}},"ignore_case":true}""";
                Assert.True((equal == positive ? "T" : "F") == Engine.Truth(condition, $$"""{"v":"{{value}}"}"""), $"{op} {literalJson} against {value}");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
