using System.Text.Json.Nodes;
using PolicyEngine.Tests.Conformance;

namespace PolicyEngine.Tests.Document;

/// <summary>
/// Spec §1: keys named <c>$schema</c> or starting with <c>x-</c> are allowed and ignored in every object of a policy, and a
/// tool pattern is 1–128 characters. Every conformance case is run again with both kinds of key added to each of its objects.
/// </summary>
public sealed class AnnotationKeyTests
{
    public static TheoryData<string> Cases => ConformanceCaseRunner.CaseNames();

    /// <summary>
    /// Adds <c>$schema</c> and <c>x-note</c> to every object of the document, except where an object's keys are not the
    /// document's own: the <c>tools</c> map (its keys are tool patterns, and <c>x-note</c> is a valid one) and literal values.
    /// </summary>
    private static string Annotate(string policyText)
    {
        try
        {
            var root = JsonNode.Parse(policyText);
            if (root is not JsonObject)
            {
                return policyText; // a case about a document that is not an object
            }

            Walk(root, key: null);
            return root.ToJsonString();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return policyText; // a case about text JsonNode refuses too (not JSON, a repeated key): it stays as it is
        }
    }

    private static void Walk(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject obj when key is "value" or "values":
                return;
            case JsonObject obj:
                var members = obj.ToList();
                foreach (var (name, child) in members)
                {
                    Walk(child, name);
                }

                if (key != "tools")
                {
                    obj["$schema"] ??= "https://example.com/policy.schema.json";
                    obj["x-note"] = new JsonObject { ["owner"] = "desk", ["not"] = new JsonArray(1, "a") };
                }

                break;
            case JsonArray array when key is not ("value" or "values"):
                foreach (var item in array)
                {
                    Walk(item, key: null);
                }

                break;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Annotations_in_every_object_change_nothing(string caseFile) =>
        Assert.Null(ConformanceCaseRunner.RunThroughApi(caseFile, rewrite: Annotate));

    [Fact]
    public void The_rewrite_reaches_nested_objects()
    {
        string annotated = Annotate("""{"version":"1","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":{"k":1}}]}]}}}""");
        var doc = JsonNode.Parse(annotated)!;
        Assert.NotNull(doc["x-note"]);
        Assert.Null(doc["tools"]!["x-note"]);
        Assert.NotNull(doc["tools"]!["t"]!["x-note"]);
        Assert.NotNull(doc["tools"]!["t"]!["deny_if"]![0]!["conditions"]![0]!["x-note"]);
        Assert.Null(doc["tools"]!["t"]!["deny_if"]![0]!["conditions"]![0]!["value"]!["x-note"]);
    }

    [Fact]
    public void Any_other_unknown_key_is_an_error_where_x_keys_are_not()
    {
        Assert.True(Policy.TryParse("""{"version":"1","default":"allow","x-a":1,"tools":{"t":{"x-b":2,"limits":[{"max":1,"window":1,"x-c":3}]}}}"""u8, out _, out _));
        Assert.False(Policy.TryParse("""{"version":"1","default":"allow","tools":{"t":{"limits":[{"max":1,"window":1,"xc":3}]}}}"""u8, out _, out var errors));
        Assert.Equal("/tools/t/limits/0/xc", Assert.Single(errors).Pointer);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void A_tool_pattern_is_1_to_128_characters(int length, bool valid)
    {
        string pattern = new string('a', length - 1) + "*";
        string json = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"" + pattern + "\":{\"action\":\"deny\"}},\"hide\":[\"" + pattern + "\"]}";
        bool parsed = Policy.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out _, out var errors);
        Assert.Equal(valid, parsed);
        if (!valid)
        {
            Assert.Contains(errors, e => e.Pointer == "/tools/" + pattern);
            Assert.Contains(errors, e => e.Pointer == "/hide/0");
        }
    }

    [Fact]
    public void An_empty_tool_pattern_is_an_error() =>
        Assert.False(Policy.TryParse("""{"version":"1","default":"allow","tools":{"":{"action":"deny"}}}"""u8, out _, out _));
}
