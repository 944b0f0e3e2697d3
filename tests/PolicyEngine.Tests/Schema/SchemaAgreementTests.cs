using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PolicyEngine.Tests.Properties;

namespace PolicyEngine.Tests.Schema;

/// <summary>A generated policy document and how it was changed from a valid one (for the failure message).</summary>
public sealed record SchemaCase(string Policy, string Change)
{
    public override string ToString() => $"{Change}\n{Policy}";
}

/// <summary>
/// Generated documents: random valid policies (the property tests' generator), and the same with one random
/// change — a key added, removed or renamed, a value or array item replaced by one of a pool of right and wrong
/// values. The schema and <see cref="Policy.TryParse(string, out Policy?, out IReadOnlyList{PolicyError})"/> must
/// agree on every one: the changes stay within what a schema can express (docs/authoring.md).
/// </summary>
public sealed class SchemaAgreementTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(SchemaArbitraries)])]
    public Property A_generated_valid_policy_validates(ValidPolicy policy)
    {
        var engine = PolicySchema.Engine(policy.Text);
        var schema = PolicySchema.Validate(policy.Text);
        return (engine.Valid && schema.Valid).Label($"engine: {engine.Why}; schema: {schema.Why}\n{policy.Text}");
    }

    [Property(MaxTest = 600, Arbitrary = [typeof(SchemaArbitraries)])]
    public Property The_schema_and_the_engine_agree_on_a_changed_policy(SchemaCase changed)
    {
        var engine = PolicySchema.Engine(changed.Policy);
        var schema = PolicySchema.Validate(changed.Policy);
        return (engine.Valid == schema.Valid).Label($"engine: {(engine.Valid ? "valid" : engine.Why)}; schema: {(schema.Valid ? "valid" : schema.Why)}\n{changed}");
    }

    [Fact]
    public void The_changes_make_both_valid_and_invalid_documents()
    {
        var sample = Gen.Sample(SchemaArbitraries.Changed().Generator, 300, new Rnd(42UL, 0x9E3779B97F4A7C15UL), 10);
        var invalid = sample.Count(c => !PolicySchema.Engine(c.Policy).Valid);
        Assert.True(invalid is >= 120 and <= 285, $"{invalid} invalid\n" + string.Join("\n", sample.Take(20).Select(c => c.Change)));
    }

    [Fact]
    public void Calendar_windows_of_the_spec_are_in_the_schema()
    {
        foreach (var window in new[] { "minute", "hour", "day" })
        {
            var policy = "{\"version\": \"1\", \"default\": \"deny\", \"tools\": {\"x\": {\"rate_limit\": {\"max\": 1, \"window\": \"" + window + "\"}}}}";
            Assert.True(PolicySchema.Validate(policy).Valid, window);
            Assert.True(Policy.TryParse(policy, out _, out _), window); // and the engine takes them
        }
    }
}

/// <summary>A valid generated policy's text.</summary>
public sealed record ValidPolicy(string Text)
{
    public override string ToString() => Text;
}

/// <summary>The generators of <see cref="SchemaAgreementTests"/>.</summary>
public static class SchemaArbitraries
{
    // Right and wrong values for any place, calendar windows among them. Left out: strings that are no regex, such
    // as "*" (only the validator can compile a regex).
    private static readonly string[] Pool =
    [
        "0", "-1", "1", "1.5", "2", "60", "34560000", "34560001", "1e1", "\"1\"", "\"\"", "\"bad name\"", "\"read\"", "\"a*\"", "true", "false",
        "null", "[]", "[1]", "[\"read\"]", "{}", "\"5 minutes\"", "\"0s\"", "\"30s\"", "\"500ms\"", "\"sha256:00\"", "\"args.\"", "\"args.a\"",
        "\"context.user\"", "\"minute\"", "\"hour\"", "\"day\"", "\"week\"", "\"session\"", "\"global\"", "\"maybe\"", "\"deny\"", "\"allow\"", "\"require_approval\"", "\"shadow\"", "\"eq\"",
        "\"lt\"", "\"in\"", "\"regex\"", "\"exists\"", "\"contains\"", "\"1m\"", "{\"path\": \"args.a\", \"op\": \"eq\", \"value\": 1}",
        "{\"all\": []}", "{\"max\": 1, \"window\": 1}", "{\"conditions\": []}",
    ];

    private static readonly string[] NewKeys =
    [
        "bogus", "x-note", "$schema", "on_fail", "on_deny", "reason", "action", "pin", "ignore_case", "cost", "per", "not", "all", "path", "conditions",
    ];

    private static readonly string[] ToolKeys = ["bad name", "", "x-tool", "$schema", "a*", "read"];

    public static Arbitrary<ValidPolicy> Valid() =>
        Arb.From(PolicyGenerators.Policy(new PolicyShape()).Select(p => new ValidPolicy(p)));

    public static Arbitrary<SchemaCase> Changed() =>
        Arb.From(
            from policy in PolicyGenerators.PolicyNode(new PolicyShape())
            from seed in Gen.Choose(0, int.MaxValue)
            select Change(policy, new Random(seed)));

    private static SchemaCase Change(JsonObject policy, Random random)
    {
        var places = new List<JsonNode>();
        Collect(policy, places);
        var place = places[random.Next(places.Count)];
        var value = Pool[random.Next(Pool.Length)];
        string change;
        switch (place, random.Next(4))
        {
            case (JsonObject o, 0):
                var added = NewKeys[random.Next(NewKeys.Length)];
                o[added] = JsonNode.Parse(value);
                change = $"add {added}: {value} at {o.GetPath()}";
                break;
            case (JsonObject o, 1) when o.Count > 0:
                var removed = o.ElementAt(random.Next(o.Count)).Key;
                o.Remove(removed);
                change = $"remove {removed} at {o.GetPath()}";
                break;
            case (JsonObject o, 2) when o.Parent is JsonObject { Parent: JsonObject } && o.GetPath().EndsWith(".tools", StringComparison.Ordinal) && o.Count > 0:
                var renamed = o.ElementAt(random.Next(o.Count)).Key;
                var key = ToolKeys[random.Next(ToolKeys.Length)];
                var block = o[renamed];
                o.Remove(renamed);
                o[key] = block;
                change = $"rename {renamed} to {key} at {o.GetPath()}";
                break;
            case (JsonObject o, _) when o.Count > 0:
                var replaced = o.ElementAt(random.Next(o.Count)).Key;
                o[replaced] = JsonNode.Parse(value);
                change = $"set {replaced} = {value} at {o.GetPath()}";
                break;
            case (JsonArray a, _) when a.Count > 0:
                var index = random.Next(a.Count);
                a[index] = JsonNode.Parse(value);
                change = $"set [{index}] = {value} at {a.GetPath()}";
                break;
            case (JsonArray a, _):
                a.Add(JsonNode.Parse(value));
                change = $"append {value} at {a.GetPath()}";
                break;
            default:
                change = "none";
                break;
        }

        return new SchemaCase(policy.ToJsonString(), change);
    }

    private static void Collect(JsonNode? node, List<JsonNode> places)
    {
        switch (node)
        {
            case JsonObject o:
                places.Add(o);
                foreach (var (_, child) in o)
                {
                    Collect(child, places);
                }

                break;
            case JsonArray a:
                places.Add(a);
                foreach (var child in a)
                {
                    Collect(child, places);
                }

                break;
        }
    }
}
