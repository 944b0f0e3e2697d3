using System.Text.Json;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.Schema;

/// <summary>
/// schema/policy.schema.json against the engine: the conformance cases' valid policies validate, their structurally
/// invalid ones fail, and every key is described for editors. (Generated documents: <see cref="SchemaAgreementTests"/>.)
/// </summary>
public sealed class PolicySchemaTests
{
    /// <summary>Invalid for reasons the schema cannot express (docs/authoring.md lists them), so the schema accepts them.</summary>
    private static readonly string[] NotStructural = ["invalid-regex-needing-backtracking.json"];

    private static IEnumerable<string> CaseFiles() =>
        Directory.GetFiles(ConformanceCaseRunner.CasesDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> ValidPolicies()
    {
        var rows = new TheoryData<string>();
        foreach (var name in CaseFiles())
        {
            using var file = ConformanceCaseRunner.Load(name);
            var test = file.RootElement;
            if (test.TryGetProperty("steps", out var steps) && test.TryGetProperty("policy", out var policy))
            {
                rows.Add(policy.GetRawText());
                foreach (var step in steps.EnumerateArray().Where(s => s.TryGetProperty("reload", out _) && s.GetProperty("expect").GetProperty("reloaded").GetBoolean()))
                {
                    rows.Add(step.GetProperty("reload").GetRawText());
                }
            }
        }

        foreach (var sample in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Schema", "Samples"), "*.json", SearchOption.AllDirectories))
        {
            rows.Add(File.ReadAllText(sample));
        }

        return rows;
    }

    public static TheoryData<string> InvalidPolicies()
    {
        var rows = new TheoryData<string>();
        foreach (var name in CaseFiles().Except(NotStructural))
        {
            using var file = ConformanceCaseRunner.Load(name);
            var test = file.RootElement;
            if (test.TryGetProperty("expect_errors", out _) && test.TryGetProperty("policy", out var policy))
            {
                rows.Add(policy.GetRawText());
            }

            foreach (var step in test.TryGetProperty("steps", out var steps) ? steps.EnumerateArray() : default)
            {
                if (step.TryGetProperty("reload", out var reload) && !step.GetProperty("expect").GetProperty("reloaded").GetBoolean())
                {
                    rows.Add(reload.GetRawText());
                }
            }
        }

        return rows;
    }

    [Fact]
    public void The_cases_give_both_kinds_of_policy()
    {
        Assert.True(ValidPolicies().Count >= 25, $"{ValidPolicies().Count} valid policies");
        Assert.True(InvalidPolicies().Count >= 10, $"{InvalidPolicies().Count} invalid policies");
    }

    [Theory]
    [MemberData(nameof(ValidPolicies))]
    public void A_valid_policy_validates(string policy)
    {
        Assert.Equal((true, ""), PolicySchema.Engine(policy));
        Assert.Equal((true, ""), PolicySchema.Validate(policy));
    }

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void A_structurally_invalid_policy_fails(string policy)
    {
        Assert.False(PolicySchema.Engine(policy).Valid);
        Assert.False(PolicySchema.Validate(policy).Valid, "the schema accepts it");
    }

    [Fact]
    public void A_regex_the_engine_cannot_compile_is_beyond_the_schema()
    {
        // Documented in docs/authoring.md: only the validator can compile a regex in NonBacktracking mode.
        const string policy = """{"version": "1", "default": "deny", "tools": {"x": {"deny_if": [{"conditions": [{"path": "args.a", "op": "regex", "value": "(a)\\1"}]}]}}}""";
        Assert.False(PolicySchema.Engine(policy).Valid);
        Assert.True(PolicySchema.Validate(policy).Valid);
    }

    [Fact]
    public void The_schema_is_draft_2020_12()
    {
        using var schema = PolicySchema.Document();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
    }

    [Fact]
    public void Every_key_has_a_description()
    {
        using var schema = PolicySchema.Document();
        var root = schema.RootElement;
        var defs = root.GetProperty("$defs");
        var undescribed = new List<string>();
        Walk(root, "#", defs, undescribed);
        Assert.True(undescribed.Count == 0, "no description: " + string.Join(", ", undescribed));
    }

    [Fact]
    public void Every_key_of_the_language_is_in_the_schema()
    {
        using var schema = PolicySchema.Document();
        var text = schema.RootElement.GetRawText();
        string[] keys =
        [
            "version", "default", "description", "mode", "hide", "all_tools", "tools", "approval_ttl", "action", "reason", "require",
            "deny_if", "approve_if", "rate_limit", "limits", "pin", "conditions", "on_deny", "on_fail", "path", "op", "value",
            "ignore_case", "all", "any", "not", "max", "window", "per", "cost", "on_limit", "name",
        ];
        var missing = keys.Where(k => !text.Contains($"\"{k}\": {{", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not in the schema: " + string.Join(", ", missing));
    }

    // Every member of every "properties" has a description, or is a $ref to a definition that has one.
    private static void Walk(JsonElement node, string where, JsonElement defs, List<string> undescribed)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in node.EnumerateArray())
            {
                Walk(item, $"{where}/{i++}", defs, undescribed);
            }

            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // "if" and "then" restate keys described where they are declared.
        foreach (var member in node.EnumerateObject().Where(m => m.Name is not ("if" or "then")))
        {
            if (member.Name is "properties" or "patternProperties" && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in member.Value.EnumerateObject().Where(k => !Described(k.Value, defs)))
                {
                    undescribed.Add($"{where}/{member.Name}/{key.Name}");
                }
            }

            Walk(member.Value, $"{where}/{member.Name}", defs, undescribed);
        }
    }

    private static bool Described(JsonElement property, JsonElement defs) =>
        property.ValueKind == JsonValueKind.Object &&
        (property.TryGetProperty("description", out _) ||
         (property.TryGetProperty("$ref", out var reference) && defs.GetProperty(reference.GetString()!["#/$defs/".Length..]).TryGetProperty("description", out _)));
}
