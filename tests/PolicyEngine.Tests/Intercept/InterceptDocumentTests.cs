using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Intercept;

/// <summary>Intercept documents (issue 21), written here for the tests: recognised by shape, decided as Intercept does or stricter.</summary>
public class InterceptDocumentTests
{
    private const string Payments = """
        version: "1"
        description: "payments"
        hide:
          - drop_database
        tools:
          create_charge:
            rules:
              - name: "max single charge"
                conditions:
                  - path: "args.amount"
                    op: "lte"
                    value: 50000
                  - path: "args.currency"
                    op: "in"
                    value: ["usd", "eur"]
                on_deny: "Single charge cannot exceed $500.00"
              - name: "hourly charges"
                rate_limit: 2/hour
          delete_customer:
            rules:
              - name: "block deletion"
                action: "deny"
          read_file:
            rules: []
          "*":
            rules:
              - name: "no secrets"
                conditions:
                  - path: "args.path"
                    op: "exists"
                    value: false
        """;

    private static string Errors(string text)
    {
        Assert.False(Policy.TryParse(text, out _, out var errors));
        return string.Join("\n", errors.Select(e => e.ToString()));
    }

    /// <summary>Tool t with one rule of one condition on args.v; its value on line 9.</summary>
    private static string OneCondition(string op, string value) => $$"""
        version: "1"
        tools:
          t:
            rules:
              - name: "r"
                conditions:
                  - path: "args.v"
                    op: "{{op}}"
                    value: {{value}}
        """;

    private static Decision Decide(PolicyEvaluator ev, string tool, string args) => ev.Evaluate(Engine.Call(tool, args));

    [Fact]
    public void A_rule_denies_with_its_message_when_one_condition_fails()
    {
        using var ev = Engine.For(Payments);
        Assert.True(Decide(ev, "create_charge", """{"amount": 100, "currency": "usd"}""").IsAllowed);

        var d = Decide(ev, "create_charge", """{"amount": 100, "currency": "gbp"}""");
        Assert.Equal((DecisionCodes.Denied, "/tools/create_charge/deny_if/0", "Single charge cannot exceed $500.00"), (d.Code, d.Rule, d.Message));
        Assert.False(Decide(ev, "create_charge", """{"amount": 50001, "currency": "usd"}""").IsAllowed);
    }

    [Fact]
    public void A_deny_rule_always_denies_with_interceptʼs_default_message()
    {
        using var ev = Engine.For(Payments);
        var d = Decide(ev, "delete_customer", "{}");
        Assert.Equal((DecisionCodes.Denied, "Denied by rule \"block deletion\""), (d.Code, d.Message));
    }

    [Fact]
    public void Hide_and_the_star_rules_apply_and_the_default_is_allow()
    {
        using var ev = Engine.For(Payments);
        Assert.Equal(DecisionCodes.Hidden, Decide(ev, "drop_database", "{}").Code);
        Assert.True(Decide(ev, "unlisted", "{}").IsAllowed);
        Assert.Equal("/all_tools/deny_if/0", Decide(ev, "unlisted", """{"path": "/etc"}""").Rule);
        Assert.False(Decide(ev, "read_file", """{"path": "/etc"}""").IsAllowed);
    }

    [Fact]
    public void Rate_limit_is_a_calendar_window_shared_by_every_session()
    {
        var clock = Engine.Clock();
        clock.Advance(TimeSpan.FromMinutes(59));
        using var ev = Engine.For(Payments, clock);
        const string ok = """{"amount": 1, "currency": "usd"}""";
        Assert.True(ev.Evaluate(Engine.Call("create_charge", ok, "a")).IsAllowed);
        Assert.True(ev.Evaluate(Engine.Call("create_charge", ok, "b")).IsAllowed);
        var d = ev.Evaluate(Engine.Call("create_charge", ok, "c"));
        Assert.Equal((DecisionCodes.RateLimited, "Rate limit of 2 per hour reached. Try again later.", (TimeSpan?)TimeSpan.FromMinutes(1)), (d.Code, d.Message, d.RetryAfter));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(ev.Evaluate(Engine.Call("create_charge", ok, "c")).IsAllowed);
    }

    [Fact]
    public void Under_default_deny_star_rules_do_not_list_a_tool()
    {
        using var ev = Engine.For("""
            version: "1"
            default: deny
            tools:
              read_file:
                rules: []
              "*":
                rules:
                  - name: "everything"
                    rate_limit: 100/minute
            """);
        Assert.True(Decide(ev, "read_file", "{}").IsAllowed);
        Assert.Equal(DecisionCodes.DefaultDeny, Decide(ev, "write_file", "{}").Code);
    }

    [Theory]
    [InlineData("lte", "50", """{"v": "5"}""", false)] // a numeric string never passes an ordering there
    [InlineData("lte", "50", """{"v": 5}""", true)]
    [InlineData("lt", "5", """{"v": 4.9999999999999999999}""", false)] // equal as doubles: not less there
    [InlineData("lt", "5", """{"v": 4.5}""", true)] // less as doubles, and exactly
    [InlineData("lt", "5", """{"v": 5.5}""", false)]
    [InlineData("lte", "5", """{"v": 4.9999999999999999999}""", true)] // equal as doubles, and less exactly
    [InlineData("gt", "5", """{"v": 5.0000000000000000001}""", false)] // equal as doubles: not greater there
    [InlineData("gte", "5", """{"v": 5.0000000000000000001}""", true)] // equal as doubles, and greater exactly
    [InlineData("eq", "5", """{"v": "5.0"}""", false)] // Go prints 5 as "5"
    [InlineData("eq", "5", """{"v": "5"}""", true)]
    [InlineData("eq", "5", """{"v": 5.0}""", true)]
    [InlineData("eq", "\"5.0\"", """{"v": 5}""", false)]
    [InlineData("eq", "\"5.0\"", """{"v": "5.0"}""", true)]
    [InlineData("eq", "1000000.0", """{"v": "1e+06"}""", true)]
    [InlineData("eq", "\"5\\n\"", """{"v": 5}""", false)] // Go prints 5 as "5", without the newline
    [InlineData("eq", "\"5\\n\"", """{"v": "5\n"}""", true)]
    [InlineData("neq", "\"5\\n\"", """{"v": "5"}""", true)]
    [InlineData("eq", "\"1000000\"", """{"v": 1000000}""", false)] // Go prints the number as 1e+06
    [InlineData("neq", "5", """{"v": 5.0000000000000000001}""", false)] // the same double there
    [InlineData("neq", "5", """{"v": 6}""", true)]
    [InlineData("neq", "5", """{"v": "5.0"}""", true)]
    [InlineData("neq", "5", """{"v": "5"}""", false)]
    [InlineData("neq", "\"main\"", """{"v": "dev"}""", true)]
    [InlineData("neq", "null", """{"v": "<nil>"}""", false)]
    [InlineData("exists", "true", """{"v": null}""", false)] // present but null: not there
    [InlineData("exists", "false", """{"v": null}""", true)]
    [InlineData("exists", "true", """{"v": 0}""", true)]
    [InlineData("not_in", "[1, \"a\"]", """{"v": "1"}""", false)]
    [InlineData("in", "[1, \"a\"]", """{"v": "1.0"}""", false)]
    [InlineData("in", "[1, \"a\"]", """{"v": 1}""", true)]
    [InlineData("contains", "\"ab\"", """{"v": "xaby"}""", true)]
    [InlineData("contains", "\"ab\"", """{"v": ["x", "ab"]}""", true)]
    [InlineData("regex", "\"^[[:alpha:]]+$\"", """{"v": "abc"}""", true)]
    [InlineData("regex", "\"^[[:alpha:]]+$\"", """{"v": "ébc"}""", false)] // POSIX classes are ASCII in RE2
    [InlineData("regex", "\"^\\\\d+$\"", """{"v": "١٢"}""", false)] // so is \d
    [InlineData("regex", "\"^.{2}$\"", """{"v": "😀"}""", false)] // one code point, not two UTF-16 units
    [InlineData("regex", "\"^[^a]$\"", """{"v": "😀"}""", true)]
    [InlineData("regex", "\"^(?P<x>ab)$\"", """{"v": "ab"}""", true)]
    public void Operators_compare_as_intercept_does_or_stricter(string op, string value, string args, bool allowed)
    {
        using var ev = Engine.For(OneCondition(op, value));
        Assert.Equal(allowed, Decide(ev, "t", args).IsAllowed);
    }

    [Theory]
    [InlineData("\"(?i)abc\"", "(?i)")]
    [InlineData("\"\\\\bword\"", "\\b")]
    [InlineData("\"\\\\pL\"", "\\p")]
    [InlineData("\"[[:^alpha:]]\"", "[:^alpha:]")]
    [InlineData("\"\\\\1\"", "\\1")]
    public void An_re2_pattern_without_an_exact_translation_is_refused(string pattern, string named)
    {
        string errors = Errors(OneCondition("regex", pattern));
        Assert.Contains("no exact .NET translation", errors, StringComparison.Ordinal);
        Assert.Contains(named.TrimStart('\\')[..1], errors, StringComparison.Ordinal);
        Assert.StartsWith("9:", errors, StringComparison.Ordinal);
        Assert.Contains(": /tools/t/rules/0/conditions/0/value: ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_mixing_both_forms_is_an_error_that_says_so()
    {
        string errors = Errors("""
            version: "1"
            default: allow
            tools:
              a:
                rules: []
              b:
                deny_if: [{conditions: []}]
            """);
        Assert.Contains("mixes the Intercept form (tools.<name>.rules) with this engine's form ('deny_if')", errors, StringComparison.Ordinal);
        Assert.StartsWith("7:", errors, StringComparison.Ordinal);
        Assert.Contains(": /tools/b/deny_if: ", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      - name: r\n        conditions: [{path: args.v, op: lte, value: \"5\"}]", "/tools/t/rules/0/conditions/0/value", "compares with a number")]
    [InlineData("      - name: r\n        colour: red\n        action: deny", "/tools/t/rules/0/colour", "Unknown key 'colour'")]
    [InlineData("      - action: deny", "/tools/t/rules/0", "must have a name")]
    [InlineData("      - name: r\n        action: deny\n        conditions: [{path: args.v, op: exists, value: true}]", "/tools/t/rules/0/conditions", "must not have conditions")]
    [InlineData("      - name: r\n        rate_limit: 0/hour", "/tools/t/rules/0/rate_limit", "positive count")]
    [InlineData("      - name: r\n        conditions: [{path: state.t.n, op: lte, value: 5}]", "/tools/t/rules/0/conditions/0/path", "no 'state' block")]
    [InlineData("      - name: r\n        conditions: [{path: args.v, op: eq, value: [1]}]", "/tools/t/rules/0/conditions/0/value", "not translated")]
    public void Intercept_errors_point_into_the_intercept_source(string rules, string pointer, string message)
    {
        string errors = Errors("version: \"1\"\ntools:\n  t:\n    rules:\n" + rules + "\n");
        Assert.Contains(": " + pointer + ": ", errors, StringComparison.Ordinal);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_name_with_a_star_is_refused_since_it_would_be_a_glob_here()
    {
        Assert.Contains("contains '*'", Errors("version: \"1\"\ndefault: deny\ntools:\n  \"read_*\":\n    rules: []\n"), StringComparison.Ordinal);
    }
}
