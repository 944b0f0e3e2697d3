using System.Text;
using PolicyEngine.Linting;

namespace PolicyEngine.Tests.Linting;

/// <summary>Every lint check: a policy that triggers it (code and pointer) and a near one that does not.</summary>
public sealed class LintTests
{
    private const string Head = "\"version\": \"1\", \"default\": \"deny\"";

    public static TheoryData<string, string, string> Triggers => new()
    {
        // PE0001: action deny or an empty deny_if, with rules after it.
        { T("\"x\": {\"deny_if\": [{\"conditions\": []}, {\"conditions\": [{\"path\": \"args.a\", \"op\": \"eq\", \"value\": 1}]}], \"rate_limit\": {\"max\": 1, \"window\": 60}}"), "PE0001", "/tools/x/deny_if/0" },
        { T("\"x\": {\"action\": \"deny\", \"require\": [\"args.a\"]}"), "PE0001", "/tools/x/action" },
        { "{" + Head + ", \"all_tools\": {\"deny_if\": [{\"conditions\": []}]}, \"tools\": {\"x\": {}}}", "PE0001", "/all_tools/deny_if/0" },
        // PE0002: hidden entries, exact and glob.
        { "{" + Head + ", \"hide\": [\"admin_*\"], \"tools\": {\"admin_reset\": {}}}", "PE0002", "/tools/admin_reset" },
        { "{" + Head + ", \"hide\": [\"*\"], \"tools\": {\"get_*\": {}}}", "PE0002", "/tools/get_*" },
        // PE0003: a glob equivalent to an earlier one; an exact entry with a glob's rules.
        { T("\"get_*\": {}, \"get_**\": {\"action\": \"deny\"}"), "PE0003", "/tools/get_**" },
        { T("\"get_*\": {\"rate_limit\": {\"max\": 1, \"window\": 60}}, \"get_x\": {\"rate_limit\": {\"window\": 60, \"max\": 1.0}}"), "PE0003", "/tools/get_x" },
        // PE0004: contradictory bounds in one all; empty in / not_in.
        { T(DenyIf("{\"path\": \"args.n\", \"op\": \"gt\", \"value\": 10}, {\"path\": \"args.n\", \"op\": \"lt\", \"value\": 5}")), "PE0004", "/tools/x/deny_if/0/conditions/1" },
        { T(DenyIf("{\"all\": [{\"path\": \"args.n\", \"op\": \"gte\", \"value\": 5}, {\"path\": \"args.n\", \"op\": \"lt\", \"value\": 5}]}")), "PE0004", "/tools/x/deny_if/0/conditions/0/all/1" },
        { T(DenyIf("{\"path\": \"args.n\", \"op\": \"eq\", \"value\": 1}, {\"path\": \"args.n\", \"op\": \"eq\", \"value\": 2}")), "PE0004", "/tools/x/deny_if/0/conditions/1" },
        { T(DenyIf("{\"path\": \"args.s\", \"op\": \"in\", \"value\": []}")), "PE0004", "/tools/x/deny_if/0/conditions/0/value" },
        { T("\"x\": {\"require\": [{\"path\": \"args.s\", \"op\": \"not_in\", \"value\": []}]}"), "PE0004", "/tools/x/require/0/value" },
        // PE0005: not of not.
        { T(DenyIf("{\"not\": {\"not\": {\"path\": \"args.s\", \"op\": \"exists\", \"value\": true}}}")), "PE0005", "/tools/x/deny_if/0/conditions/0" },
        // PE0006: duplicate literals (exact numbers; ignore_case strings).
        { T(DenyIf("{\"path\": \"args.n\", \"op\": \"in\", \"value\": [1, 2, 1.0]}")), "PE0006", "/tools/x/deny_if/0/conditions/0/value/2" },
        { T(DenyIf("{\"path\": \"args.s\", \"op\": \"not_in\", \"value\": [\"BTC\", \"btc\"], \"ignore_case\": true}")), "PE0006", "/tools/x/deny_if/0/conditions/0/value/1" },
        // PE0007 / PE0008: regexes that never match, or are anchored wrongly.
        { T(DenyIf(Regex("a^b"))), "PE0007", "/tools/x/deny_if/0/conditions/0/value" },
        { T(DenyIf(Regex("USD$x"))), "PE0007", "/tools/x/deny_if/0/conditions/0/value" },
        { T(DenyIf(Regex("^BTC|ETH$"))), "PE0008", "/tools/x/deny_if/0/conditions/0/value" },
        { T(DenyIf(Regex("a?^b"))), "PE0008", "/tools/x/deny_if/0/conditions/0/value" },
        // PE0009: a cost the require items keep above max.
        { T("\"pay\": {\"require\": [{\"path\": \"args.amount\", \"op\": \"gt\", \"value\": 100}], \"limits\": [{\"max\": 100, \"window\": \"1d\", \"cost\": \"args.amount\"}]}"), "PE0009", "/tools/pay/limits/0/max" },
        { T("\"pay\": {\"require\": [{\"path\": \"args.amount\", \"op\": \"in\", \"value\": [500, 700]}], \"rate_limit\": {\"max\": 300, \"window\": 60, \"cost\": \"args.amount\"}}"), "PE0009", "/tools/pay/rate_limit/max" },
        // PE0011: approvals that expire inside the tightest window they gate.
        { "{" + Head + ", \"approval_ttl\": \"5m\", \"tools\": {\"pay\": {\"action\": \"require_approval\", \"rate_limit\": {\"max\": 1, \"window\": \"1h\"}}}}", "PE0011", "/approval_ttl" },
        { "{" + Head + ", \"tools\": {\"pay\": {\"approve_if\": [{\"conditions\": []}], \"limits\": [{\"max\": 1, \"window\": \"1h\"}]}}}", "PE0011", "/tools/pay/approve_if" },
        // PE0012: default allow and no limit anywhere.
        { "{\"version\": \"1\", \"default\": \"allow\", \"tools\": {\"x\": {\"action\": \"deny\"}}}", "PE0012", "/default" },
    };

    public static TheoryData<string, string> Clean => new()
    {
        { T("\"x\": {\"deny_if\": [{\"conditions\": [], \"on_deny\": \"Blocked.\"}]}"), "PE0001" },
        { T("\"x\": {\"action\": \"deny\", \"reason\": \"No.\"}"), "PE0001" },
        { "{" + Head + ", \"hide\": [\"admin_*\"], \"tools\": {\"admin\": {}, \"ad*\": {}}}", "PE0002" },
        { T("\"get_*\": {}, \"get_x*\": {\"action\": \"deny\"}, \"get_y\": {\"action\": \"deny\"}"), "PE0003" },
        { T(DenyIf("{\"path\": \"args.n\", \"op\": \"gt\", \"value\": 5}, {\"path\": \"args.n\", \"op\": \"lte\", \"value\": 10}, {\"path\": \"args.m\", \"op\": \"lt\", \"value\": 5}")), "PE0004" },
        { T(DenyIf("{\"any\": [{\"path\": \"args.n\", \"op\": \"gt\", \"value\": 10}, {\"path\": \"args.n\", \"op\": \"lt\", \"value\": 5}]}")), "PE0004" },
        { T(DenyIf("{\"not\": {\"any\": [{\"not\": {\"path\": \"args.s\", \"op\": \"exists\", \"value\": true}}]}}")), "PE0005" },
        { T(DenyIf("{\"path\": \"args.n\", \"op\": \"in\", \"value\": [1, \"1\", 2, \"BTC\", \"btc\"]}")), "PE0006" },
        { T(DenyIf(Regex("^(BTC|ETH)USD$"))), "PE0007" },
        { T(DenyIf(Regex("^(BTC|ETH)USD$") + ", " + Regex("(?m)^a$\\\\n^b$") + ", " + Regex("[$^]x\\\\$y\\\\^") + ", " + Regex("(^a|^b)"))), "PE0008" },
        { T("\"pay\": {\"require\": [{\"path\": \"args.amount\", \"op\": \"gt\", \"value\": 0}], \"limits\": [{\"max\": 100, \"window\": \"1d\", \"cost\": \"args.amount\"}]}"), "PE0009" },
        { "{" + Head + ", \"approval_ttl\": \"2h\", \"tools\": {\"pay\": {\"action\": \"require_approval\", \"rate_limit\": {\"max\": 1, \"window\": \"1h\"}}}}", "PE0011" },
        { "{\"version\": \"1\", \"default\": \"allow\", \"all_tools\": {\"limits\": [{\"max\": 100, \"window\": 60}]}}", "PE0012" },
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    public void A_policy_with_the_mistake_gets_the_finding(string policy, string code, string pointer)
    {
        var findings = Lint(policy);
        Assert.Contains((code, pointer), findings.Select(f => (f.Code, f.Pointer)));
    }

    [Theory]
    [MemberData(nameof(Clean))]
    public void A_near_policy_without_the_mistake_does_not(string policy, string code)
    {
        var findings = Lint(policy).Where(f => f.Code == code).ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings.Select(f => f.Format("policy"))));
    }

    [Fact]
    public void A_policy_without_mistakes_has_no_findings() =>
        Assert.Empty(Lint("{" + Head + ", \"all_tools\": {\"limits\": [{\"max\": 60, \"window\": \"1m\"}]}, \"tools\": {\"read\": {}, \"pay\": {\"require\": [{\"path\": \"args.amount\", \"op\": \"gt\", \"value\": 0}]}}}"));

    [Fact]
    public void Findings_carry_line_and_column_of_the_value()
    {
        var finding = Assert.Single(Lint("{\n  " + Head + ",\n  \"tools\": {\n    \"x\": {\"deny_if\": [{\"conditions\": [{\"path\": \"args.s\", \"op\": \"in\", \"value\": []}]}]}\n  }\n}"));
        Assert.Equal((4, 79), (finding.Line, finding.Column));
        Assert.Equal("policy.json:4:79: /tools/x/deny_if/0/conditions/0/value: PE0004 'in' with an empty list never holds.", finding.Format("policy.json"));
    }

    [Fact]
    public void An_invalid_policy_gives_its_errors_instead()
    {
        Assert.False(PolicyLinter.TryLint("{\"version\": \"2\"}"u8, null, out var findings, out var errors));
        Assert.Empty(findings);
        Assert.NotEmpty(errors);
    }

    internal static IReadOnlyList<LintFinding> Lint(string policy, IReadOnlyList<ListedTool>? tools = null)
    {
        Assert.True(PolicyLinter.TryLint(Encoding.UTF8.GetBytes(policy), tools, out var findings, out var errors), string.Join("; ", errors));
        return findings;
    }

    private static string T(string entries) => "{" + Head + ", \"all_tools\": {\"limits\": [{\"max\": 1000, \"window\": 1}]}, \"tools\": {" + entries + "}}";

    private static string DenyIf(string conditions) => "\"x\": {\"deny_if\": [{\"conditions\": [" + conditions + "]}]}";

    private static string Regex(string pattern) => "{\"path\": \"args.s\", \"op\": \"regex\", \"value\": \"" + pattern + "\"}";
}
