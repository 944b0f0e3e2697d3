using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.Tests.Reference;

/// <summary>
/// The reference evaluator is only worth comparing against if it follows the spec: every decision case
/// of the conformance suite runs through it, and each expected field must match (retry-after ±1 ms).
/// </summary>
public sealed class ReferenceConformanceTests
{
    private static readonly string CasesDir = Path.Combine(AppContext.BaseDirectory, "Conformance", "Cases");

    public static TheoryData<string> DecisionCases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CasesDir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (doc.RootElement.TryGetProperty("steps", out _)) data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DecisionCases))]
    public void Reference_passes_the_conformance_case(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CasesDir, file)));
        var root = doc.RootElement;
        var policy = root.TryGetProperty("policy_text", out var text) ? text.GetString()! : root.GetProperty("policy").GetRawText();
        var reference = new ReferenceEvaluator(policy);
        var at = 0m;
        var index = 0;
        foreach (var step in root.GetProperty("steps").EnumerateArray())
        {
            var expect = step.GetProperty("expect");
            var where = $"{file} step {index++}";
            if (step.TryGetProperty("reload", out var reload))
            {
                at = At(step, at);
                if (expect.GetProperty("reloaded").GetBoolean()) reference.Reload(reload.GetRawText());
                continue;
            }

            if (step.TryGetProperty("approve", out var approve))
            {
                at = At(step, at);
                Assert.True(expect.GetProperty("approved").GetBoolean() == reference.Approve(ToCall(approve), at), where);
                continue;
            }

            RefDecision decision;
            if (step.TryGetProperty("raw", out var raw))
            {
                // The CLI answers a line that is not JSON with invalid_call (§9); otherwise it is a call line.
                JsonDocument? line = null;
                try { line = JsonDocument.Parse(raw.GetString()!); } catch (JsonException) { }
                decision = line is null
                    ? new RefDecision(new RefOutcome("deny", "invalid_call", null, null))
                    : reference.Evaluate(ToCall(line.RootElement), at = At(line.RootElement, at));
                line?.Dispose();
            }
            else
            {
                var call = step.GetProperty("call");
                decision = reference.Evaluate(ToCall(call), at = At(call, at));
            }

            AssertMatches(expect, decision, where);
        }
    }

    private static decimal At(JsonElement e, decimal previous) =>
        e.TryGetProperty("at", out var t) ? decimal.Parse(t.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) : previous;

    private static RefCall ToCall(JsonElement c) => new(
        c.GetProperty("tool").GetString()!,
        c.TryGetProperty("arguments", out var a) ? a.GetRawText() : null,
        c.TryGetProperty("session", out var s) ? s.GetString() : null,
        c.TryGetProperty("context", out var ctx) ? ctx.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal) : null,
        c.TryGetProperty("definition", out var d) ? d.GetRawText() : null);

    private static void AssertMatches(JsonElement expect, RefDecision d, string where)
    {
        foreach (var field in expect.EnumerateObject())
        {
            switch (field.Name)
            {
                case "effect": Assert.True(field.Value.GetString() == d.Outcome.Effect, $"{where}: effect {d}"); break;
                case "code": Assert.True(field.Value.GetString() == d.Outcome.Code, $"{where}: code {d}"); break;
                case "rule": Assert.True(Nullable(field.Value) == d.Outcome.Rule, $"{where}: rule {d}"); break;
                case "message": Assert.True(Nullable(field.Value) == d.Outcome.Message, $"{where}: message '{d.Outcome.Message}'"); break;
                case "retry_after":
                    if (field.Value.ValueKind == JsonValueKind.Null) Assert.True(d.RetryAfterSeconds is null, $"{where}: retry {d}");
                    else Assert.True(d.RetryAfterSeconds is { } r && Math.Abs(r - field.Value.GetDecimal()) <= 0.001m, $"{where}: retry {d}");
                    break;
                case "shadowed" when field.Value.ValueKind == JsonValueKind.Null:
                    Assert.True(d.Shadowed is null, $"{where}: shadowed {d}");
                    break;
                case "shadowed":
                    Assert.True(d.Shadowed is not null, $"{where}: shadowed null, want {field.Value.GetRawText()}");
                    AssertMatches(field.Value, new RefDecision(d.Shadowed), where + " (shadowed)");
                    break;
                default:
                    break; // approval_id and other engine-specific fields are not the reference's concern
            }
        }
    }

    private static string? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();
}
