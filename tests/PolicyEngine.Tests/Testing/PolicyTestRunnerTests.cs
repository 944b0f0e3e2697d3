using PolicyEngine.Testing;
using PolicyEngine.Tests.Cli;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.Testing;

/// <summary>The public policy test runner: matching, the file format, time, raw lines, and the conformance cases through it.</summary>
public sealed class PolicyTestRunnerTests
{
    private const string Limited = """{"version": "1", "default": "deny", "tools": {"search": {"rate_limit": {"max": 1, "window": 60}}}}""";

    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_conformance_case_passes_through_the_public_runner(string caseFile) =>
        PolicyTestRunner.AssertPasses(Path.Combine(ConformanceCaseRunner.CasesDirectory, caseFile));

    [Fact]
    public void A_passing_test_has_no_failures()
    {
        var result = PolicyTestRunner.Run(Test("""{"call": {"tool": "search"}, "expect": {"effect": "allow", "code": "allowed", "rule": "/tools/search", "message": null, "shadowed": null}}"""));
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(1, result.Steps);
    }

    [Fact]
    public void An_explicit_null_must_match_null_and_not_a_value()
    {
        var result = PolicyTestRunner.Run(Test(
            """{"call": {"tool": "search", "at": 1}, "expect": {"effect": "allow"}}""",
            """{"call": {"tool": "search", "at": 2}, "expect": {"effect": "deny", "message": null}}"""));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(1, failure.Step);
        Assert.StartsWith("message: expected null, got \"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"rate_limited\"", failure.Actual, StringComparison.Ordinal);
        Assert.Equal("""{"effect":"deny","message":null}""", failure.Expected);
    }

    [Fact]
    public void Every_failing_step_is_reported_not_only_the_first()
    {
        var result = PolicyTestRunner.Run(Test(
            """{"call": {"tool": "search"}, "expect": {"code": "denied"}}""",
            """{"call": {"tool": "other"}, "expect": {"code": "default_deny"}}""",
            """{"call": {"tool": "search"}, "expect": {"rule": "/default"}}"""));
        Assert.Equal([0, 2], result.Failures.Select(f => f.Step));
        Assert.Equal("rule: expected \"/default\", got \"/tools/search/rate_limit\"", result.Failures[1].Message);
    }

    [Theory]
    [InlineData("59.9995", true)]
    [InlineData("59.99", false)]
    [InlineData("null", false)]
    public void Retry_after_matches_within_a_millisecond(string expected, bool passes)
    {
        var result = PolicyTestRunner.Run(Test(
            """{"call": {"tool": "search", "at": 0}, "expect": {"code": "allowed"}}""",
            $$$"""{"call": {"tool": "search", "at": 0}, "expect": {"code": "rate_limited", "retry_after": {{{expected}}}}}"""));
        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public void A_nested_object_is_matched_field_by_field()
    {
        const string shadow = """{"version": "1", "default": "deny", "mode": "shadow"}""";
        var pass = PolicyTestRunner.Run(WithPolicy(shadow, """{"call": {"tool": "x"}, "expect": {"code": "shadow", "shadowed": {"code": "default_deny"}}}"""));
        var fail = PolicyTestRunner.Run(WithPolicy(shadow, """{"call": {"tool": "x"}, "expect": {"shadowed": {"code": "denied"}}}"""));
        Assert.True(pass.Passed, pass.ToString());
        Assert.Equal("shadowed.code: expected \"denied\", got \"default_deny\"", Assert.Single(fail.Failures).Message);
    }

    [Fact]
    public void Time_moves_with_at_and_never_backwards()
    {
        var result = PolicyTestRunner.Run(Test(
            """{"call": {"tool": "search", "at": 10}, "expect": {"code": "allowed"}}""",
            """{"call": {"tool": "search", "at": 5}, "expect": {"code": "rate_limited", "retry_after": 60}}""",
            """{"call": {"tool": "search", "at": 70}, "expect": {"code": "allowed"}}"""));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Approvals_and_reloads_are_steps_with_their_own_answers()
    {
        const string policy = """{"version": "1", "default": "deny", "tools": {"pay": {"action": "require_approval"}}}""";
        var result = PolicyTestRunner.Run(WithPolicy(policy,
            """{"call": {"tool": "pay", "session": "s"}, "expect": {"code": "approval_required"}}""",
            """{"approve": {"tool": "pay", "session": "s"}, "at": 1, "expect": {"approved": true}}""",
            """{"call": {"tool": "pay", "session": "s"}, "expect": {"code": "allowed"}}""",
            """{"reload": {"version": "1", "default": "maybe"}, "expect": {"reloaded": false}}""",
            """{"reload": {"version": "1", "default": "allow"}, "expect": {"reloaded": true}}""",
            """{"call": {"tool": "pay", "session": "s"}, "expect": {"code": "default_allow"}}"""));
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData("""{"tool": "search", "arguments": {"a": 1""")]
    [InlineData("""{"tool": "search", "tool": "other"}""")]
    [InlineData("""{"tool": "search", "arguments": {"a": 1, "a": 2}}""")]
    [InlineData("""{"tool": "search", "argument": {}}""")]
    [InlineData("""[1]""")]
    public void A_raw_line_that_is_not_a_well_formed_call_is_an_invalid_call(string line)
    {
        var step = $$$"""{"raw": {{{System.Text.Json.JsonSerializer.Serialize(line)}}}, "expect": {"effect": "deny", "code": "invalid_call", "rule": null}}""";
        var result = PolicyTestRunner.Run(Test(step));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void A_raw_line_that_is_well_formed_is_decided()
    {
        var result = PolicyTestRunner.Run(Test("""{"raw": "{\"tool\": \"search\", \"at\": 3}", "expect": {"code": "allowed"}}"""));
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData("""{"approve": {"tool": "search"}}""", """{"approved": false}""")]
    [InlineData("""{"reload": {"version": "1", "default": "deny"}, "at": 2}""", """{"reloaded": true}""")]
    public void A_raw_approve_or_reload_line_with_no_other_key_is_carried_out(string line, string expect)
    {
        var step = $$$"""{"raw": {{{System.Text.Json.JsonSerializer.Serialize(line)}}}, "expect": {{{expect}}}}""";
        var result = PolicyTestRunner.Run(Test(step));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void A_policy_path_is_read_relative_to_the_test_file()
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Limited);
        Directory.CreateDirectory(Path.Combine(folder.Path, "tests"));
        var test = folder.Write(Path.Combine("tests", "search.json"),
            """{"policy": "../policy.json", "steps": [{"call": {"tool": "search"}, "expect": {"rule": "/tools/search"}}]}""");
        var result = PolicyTestRunner.RunFile(test);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal("search", result.Name);
        Assert.Equal(test, result.File);
    }

    [Fact]
    public void A_missing_policy_file_makes_the_test_unreadable()
    {
        using var folder = new TempFolder();
        var test = folder.Write("t.json", """{"policy": "nope.json", "steps": []}""");
        var e = Assert.Throws<InvalidDataException>(() => PolicyTestRunner.RunFile(test));
        Assert.StartsWith(test + ": /policy: cannot read the policy file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"policy": {}, "steps": [{"call": {"tool": "x"}, "expct": {}}]}""", "/steps/0: unknown key 'expct'")]
    [InlineData("""{"policy": {}, "steps": [{"call": {"tool": "x"}}]}""", "/steps/0/expect: every step needs 'expect'")]
    [InlineData("""{"policy": {}, "steps": [{"call": {"tool": "x"}, "raw": "", "expect": {}}]}""", "/steps/0: a step has exactly one of")]
    [InlineData("""{"policy": {}, "steps": [{"call": {"tool": "x"}, "at": -1, "expect": {}}]}""", "/steps/0/at: must be a number of seconds")]
    [InlineData("""{"policy": {}, "policy_text": "{}", "steps": []}""", "give exactly one of 'policy'")]
    [InlineData("""{"policy": {}}""", "give exactly one of 'steps'")]
    [InlineData("""{"policy": {}, "steps": [], "steps": []}""", "duplicate key 'steps'")]
    [InlineData("""{"policy": {}, "expect_errors": [1]}""", "/expect_errors: must be an array of JSON Pointer strings")]
    [InlineData("""{"policy": {}, "steps": [] """, "not valid JSON")]
    public void A_document_that_is_not_a_test_is_rejected_with_where_and_why(string test, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => PolicyTestRunner.Run(test));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_and_x_keys_are_allowed_in_a_test()
    {
        var result = PolicyTestRunner.Run("""{"$schema": "s", "x-owner": "me", "description": "d", "policy": {"version": "1", "default": "allow"}, "steps": []}""");
        Assert.True(result.Passed);
    }

    [Fact]
    public void A_rejected_policy_fails_a_decision_test_with_the_errors()
    {
        var failure = Assert.Single(PolicyTestRunner.Run(WithPolicy("""{"version": "1", "default": "maybe"}""")).Failures);
        Assert.Null(failure.Step);
        Assert.Contains("/default", failure.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void A_validation_test_fails_when_the_policy_is_accepted_or_an_error_is_missing()
    {
        const string bad = """{"version": "1", "default": "maybe"}""";
        Assert.True(PolicyTestRunner.Run($$"""{"policy": {{bad}}, "expect_errors": ["/default"]}""").Passed);
        Assert.Equal("no error at '/tools'", Assert.Single(PolicyTestRunner.Run($$"""{"policy": {{bad}}, "expect_errors": ["/default", "/tools"]}""").Failures).Message);
        Assert.StartsWith("the policy was accepted", Assert.Single(PolicyTestRunner.Run($$"""{"policy": {{Limited}}, "expect_errors": []}""").Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertPasses_throws_with_expected_and_actual()
    {
        using var folder = new TempFolder();
        var test = folder.Write("t.json", Test("""{"call": {"tool": "search"}, "expect": {"code": "denied"}}"""));
        var e = Assert.Throws<PolicyTestFailedException>(() => PolicyTestRunner.AssertPasses(test));
        Assert.Contains("step 0: code: expected \"denied\", got \"allowed\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected {\"code\":\"denied\"}", e.Message, StringComparison.Ordinal);
        Assert.Contains("actual   {\"effect\":\"allow\"", e.Message, StringComparison.Ordinal);
        Assert.False(e.Result!.Passed);
    }

    [Fact]
    public void FindTests_keeps_tests_and_unreadable_files_and_leaves_policies_out()
    {
        using var folder = new TempFolder();
        folder.Write("policy.json", Limited);
        folder.Write("broken.json", "{");
        Directory.CreateDirectory(Path.Combine(folder.Path, "sub"));
        folder.Write(Path.Combine("sub", "b.json"), """{"policy": "../policy.json", "steps": []}""");
        folder.Write("a.json", """{"policy": "policy.json", "expect_errors": []}""");
        folder.Write("notes.txt", "{}");
        var found = PolicyTestRunner.FindTests(folder.Path).Select(f => Path.GetRelativePath(folder.Path, f));
        Assert.Equal(["a.json", "broken.json", Path.Combine("sub", "b.json")], found);
        Assert.Throws<DirectoryNotFoundException>(() => PolicyTestRunner.FindTests(Path.Combine(folder.Path, "missing")));
    }

    private static string Test(params string[] steps) => WithPolicy(Limited, steps);

    private static string WithPolicy(string policy, params string[] steps) => $$"""{"policy": {{policy}}, "steps": [{{string.Join(",", steps)}}]}""";
}
