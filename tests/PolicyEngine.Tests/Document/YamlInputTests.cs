using System.Diagnostics;
using System.Text;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Document;

/// <summary>YAML policies (issue 21): the JSON data model only, errors as FILE:LINE:COL: POINTER: message, hostile input refused fast.</summary>
public class YamlInputTests
{
    private const string Yaml = """
        # A daily budget and a read-only tool.
        version: "1"
        default: deny
        tools:
          search: {}
          pay:
            limits:
              - max: 100
                window: day
                cost: args.amount
            deny_if:
              - conditions:
                  - path: args.to
                    op: in
                    value: [mallory, "eve"]
        """;

    private const string Json = """
        {"version": "1", "default": "deny", "tools": {"search": {}, "pay": {
          "limits": [{"max": 100, "window": "day", "cost": "args.amount"}],
          "deny_if": [{"conditions": [{"path": "args.to", "op": "in", "value": ["mallory", "eve"]}]}]}}}
        """;

    private static IReadOnlyList<string> Errors(string text)
    {
        Assert.False(Policy.TryParse(text, out _, out var errors));
        return [.. errors.Select(e => e.ToString())];
    }

    [Fact]
    public void A_yaml_policy_is_the_same_policy_as_its_json()
    {
        var yaml = Policy.Parse(Yaml);
        Assert.Equal(Policy.Parse(Json).Fingerprint, yaml.Fingerprint);

        using var ev = new PolicyEvaluator(yaml, new PolicyEngineOptions { TimeProvider = Engine.Clock() });
        Assert.True(ev.Evaluate(Engine.Call("pay", """{"amount": 60, "to": "bob"}""", "s")).IsAllowed);
        Assert.Equal(DecisionCodes.Denied, ev.Evaluate(Engine.Call("pay", """{"amount": 1, "to": "eve"}""", "s")).Code);
        Assert.Equal(DecisionCodes.RateLimited, ev.Evaluate(Engine.Call("pay", """{"amount": 41, "to": "bob"}""", "s")).Code);
    }

    [Theory]
    [InlineData("version: 1\ndefault: deny\n", "1:10: /version: 'version' must be the string \"1\".")]
    [InlineData("version: \"1\"\ndefault: maybe\n", "2:10: /default: 'default' must be \"allow\" or \"deny\".")]
    [InlineData("version: \"1\"\ndefault: deny\ntools:\n  t:\n    rate_limit: {max: \"5\", window: 60}\n", "5:23: /tools/t/rate_limit/max: 'max' must be a number.")]
    public void Errors_point_into_the_yaml_source(string text, string expected) =>
        Assert.Contains(expected, Errors(text));

    [Theory]
    [InlineData("max: 0x10", "0x10")]
    [InlineData("max: +5", "+5")]
    [InlineData("max: 007", "007")]
    [InlineData("max: .inf", ".inf")]
    [InlineData("max: 1.", "1.")]
    public void A_number_json_cannot_write_as_it_stands_is_refused(string limit, string number)
    {
        var errors = Errors($"version: \"1\"\ndefault: deny\ntools:\n  t:\n    rate_limit: {{{limit}, window: 60}}\n");
        Assert.Contains(errors, e => e.Contains($"'{number}' is a YAML number that JSON cannot write", StringComparison.Ordinal));
    }

    [Fact]
    public void A_billion_laughs_fails_at_its_first_anchor_without_expanding()
    {
        var bomb = new StringBuilder("version: \"1\"\ndefault: deny\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 0; i < 9; i++)
        {
            bomb.Append((char)('b' + i)).Append(": &").Append((char)('b' + i)).Append(" [").Append(string.Join(',', Enumerable.Repeat("*" + (char)('a' + i), 9))).Append("]\n");
        }

        var clock = Stopwatch.StartNew();
        var errors = Errors(bomb.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.Equal(["3:4: /a: YAML anchors (&name) are not supported in a policy: write each value out."], errors);
    }

    [Theory]
    [InlineData("version: !!str 1\ndefault: deny\n", "1:10: /version: YAML tags (tag:yaml.org,2002:str) are not supported")]
    [InlineData("version: \"1\"\ndefault: !custom deny\n", "2:10: /default: YAML tags (!custom) are not supported")]
    [InlineData("version: \"1\"\ndefault: deny\ndefault: allow\n", "3:1: /default: Duplicate key 'default'.")]
    [InlineData("version: \"1\"\ndefault: deny\n---\nversion: \"1\"\n", "3:1: : A policy file holds one YAML document")]
    [InlineData("version: \"1\"\n? [a, b]\n: deny\n", "2:3: : A key must be a plain string")]
    [InlineData("version: \"1\"\ndefault: deny\ntools:\n\tt: {}\n", "4:1: : Invalid YAML: a tab indents this line")]
    public void Hostile_yaml_is_refused_with_its_position(string text, string expectedStart)
    {
        var errors = Errors(text);
        Assert.True(errors.Any(e => e.StartsWith(expectedStart, StringComparison.Ordinal)), string.Join('\n', errors));
    }

    [Theory]
    [InlineData(70)]
    [InlineData(100_000)]
    public void Deep_nesting_is_refused_fast(int depth)
    {
        var text = "version: \"1\"\ndefault: deny\ndescription: " + new string('[', depth) + new string(']', depth) + "\n";
        var clock = Stopwatch.StartNew();
        var errors = Errors(text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        Assert.Contains(errors, e => e.Contains("nested deeper than 64 levels", StringComparison.Ordinal) || e.Contains("Invalid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void A_huge_scalar_is_read_once_and_judged_like_json()
    {
        var text = "version: \"1\"\ndefault: deny\ndescription: " + new string('x', 8 * 1024 * 1024) + "\n";
        var clock = Stopwatch.StartNew();
        Assert.True(Policy.TryParse(text, out _, out var errors), string.Join('\n', errors));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
    }

    [Fact]
    public void Json_stays_the_default_and_a_yaml_file_is_yaml_whatever_it_starts_with()
    {
        Assert.Contains(Errors("{\"version\": \"1\", default: deny}"), e => e.StartsWith("1:18: ", StringComparison.Ordinal)); // JSON's error, not YAML's

        using var folder = new TempPolicyFolder();
        var policy = Policy.LoadFile(folder.Write("p.yaml", "{version: \"1\", default: deny}"));
        Assert.Equal(PolicyEffect.Deny, policy.Default);
        Assert.Equal(Policy.Parse(Json).Fingerprint, Policy.LoadFile(folder.Write("p.yml", "\uFEFF" + Yaml)).Fingerprint);
        var e = Assert.Throws<PolicyValidationException>(() => Policy.LoadFile(folder.Write("bad.yaml", "version: \"1\"\ndefault: maybe\n")));
        Assert.Contains(e.ErrorLines(), l => l.EndsWith("bad.yaml:2:10: /default: 'default' must be \"allow\" or \"deny\".", StringComparison.Ordinal));
    }

    [Fact]
    public void A_document_of_comments_only_is_empty()
    {
        var errors = Errors("# nothing here\n");
        Assert.Single(errors);
    }

    private sealed class TempPolicyFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("policyengine-yaml-").FullName;

        public string Write(string name, string text)
        {
            var file = Path.Combine(_path, name);
            File.WriteAllText(file, text, new UTF8Encoding(false));
            return file;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
