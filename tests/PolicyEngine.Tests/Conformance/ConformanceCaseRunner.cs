using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace PolicyEngine.Tests.Conformance;

/// <summary>
/// Runs the conformance cases (shared/conformance/README.md) through the public API, and holds what the
/// API and command-line runs share: the case files and the matching of <c>expect</c> against an answer,
/// exactly as shared/tools/run_cases.py matches (listed keys only, nested objects field by field,
/// <c>retry_after</c> within 0.001 s, <c>null</c> distinct from missing).
/// </summary>
internal static class ConformanceCaseRunner
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string CasesDirectory => Path.Combine(AppContext.BaseDirectory, "Conformance", "Cases");

    /// <summary>One row per case file name, sorted ordinally.</summary>
    public static TheoryData<string> CaseNames()
    {
        var names = Directory.GetFiles(CasesDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        return new TheoryData<string>(names!);
    }

    public static JsonDocument Load(string fileName) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(CasesDirectory, fileName)));

    /// <summary>The policy document's text, as run_cases.py writes it.</summary>
    public static string PolicyText(JsonElement testCase) =>
        testCase.TryGetProperty("policy_text", out var text) ? text.GetString()! : Compact(testCase.GetProperty("policy"));

    /// <summary>A JSON value on one line, non-ASCII kept (like Python's json.dumps(..., ensure_ascii=False)).</summary>
    public static string Compact(JsonElement value) =>
        JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Runs one case through the public API; returns the first mismatch, or <see langword="null"/>.</summary>
    public static string? RunThroughApi(string fileName)
    {
        using var file = Load(fileName);
        var testCase = file.RootElement;
        var parsed = Policy.TryParse(Encoding.UTF8.GetBytes(PolicyText(testCase)), out var policy, out var errors);
        if (testCase.TryGetProperty("expect_errors", out var expectErrors))
        {
            return parsed ? "the document was accepted" : MissingPointer(expectErrors, errors.Select(e => e.Pointer).ToList());
        }

        if (!parsed)
        {
            return "the policy was rejected: " + string.Join("; ", errors);
        }

        var clock = new FakeTimeProvider(Epoch);
        using var evaluator = new PolicyEvaluator(policy!, new PolicyEngineOptions { TimeProvider = clock });
        var index = 0;
        foreach (var step in testCase.GetProperty("steps").EnumerateArray())
        {
            using var answer = JsonDocument.Parse(Answer(step, evaluator, clock).ToJsonString());
            if (Match(step.GetProperty("expect"), answer.RootElement, $"step {index}") is { } mismatch)
            {
                return mismatch;
            }

            index++;
        }

        return null;
    }

    /// <summary>The first pointer of <paramref name="expected"/> that no error carries, as a message.</summary>
    public static string? MissingPointer(JsonElement expected, IReadOnlyCollection<string> pointers)
    {
        foreach (var pointer in expected.EnumerateArray().Select(p => p.GetString()!))
        {
            if (!pointers.Contains(pointer, StringComparer.Ordinal))
            {
                return $"no error at '{pointer}'; got [{string.Join(", ", pointers)}]";
            }
        }

        return null;
    }

    /// <summary>run_cases.py's <c>match</c>: the first field of <paramref name="expect"/> that <paramref name="got"/> does not match.</summary>
    public static string? Match(JsonElement expect, JsonElement got, string where)
    {
        foreach (var field in expect.EnumerateObject())
        {
            if (got.ValueKind != JsonValueKind.Object || !got.TryGetProperty(field.Name, out var value))
            {
                return $"{where}: missing '{field.Name}' (want {field.Value.GetRawText()})";
            }

            var mismatch = field.Name == "retry_after"
                ? (Close(field.Value, value) ? null : $"{where}: retry_after {value.GetRawText()}, want {field.Value.GetRawText()}")
                : field.Value.ValueKind == JsonValueKind.Object
                    ? (value.ValueKind == JsonValueKind.Object ? Match(field.Value, value, $"{where}.{field.Name}") : $"{where}: {field.Name} {value.GetRawText()}, want {field.Value.GetRawText()}")
                    : JsonElement.DeepEquals(field.Value, value) ? null : $"{where}: {field.Name} {value.GetRawText()}, want {field.Value.GetRawText()}";
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        return null;
    }

    private static bool Close(JsonElement want, JsonElement got) =>
        want.ValueKind == JsonValueKind.Null || got.ValueKind == JsonValueKind.Null
            ? want.ValueKind == got.ValueKind
            : got.ValueKind == JsonValueKind.Number && Math.Abs(want.GetDecimal() - got.GetDecimal()) <= 0.001m;

    /// <summary>Runs one step against <paramref name="evaluator"/> and answers as run_cases.py records it (also used by the Redis store's tests).</summary>
    internal static JsonObject Answer(JsonElement step, PolicyEvaluator evaluator, FakeTimeProvider clock)
    {
        Advance(clock, step);
        if (step.TryGetProperty("approve", out var approve))
        {
            var id = ToCall(approve, out var call) is null ? evaluator.GetApprovalId(call) : null;
            return new JsonObject { ["approved"] = id is not null && evaluator.Approve(id) };
        }

        if (step.TryGetProperty("reload", out var reload))
        {
            var ok = Policy.TryParse(Encoding.UTF8.GetBytes(Compact(reload)), out var next, out _);
            if (ok)
            {
                evaluator.Reload(next!);
            }

            return new JsonObject { ["reloaded"] = ok };
        }

        if (step.TryGetProperty("call", out var fields))
        {
            return ToCall(fields, out var call) is { } error ? InvalidCall(error) : ToJson(evaluator.Evaluate(call));
        }

        // A raw line through the API: JsonDocument keeps duplicate keys, so duplicates inside the arguments reach
        // the engine, which must reject them. Text that is not JSON cannot become a call at all; only the
        // command-line tests can check how such a line is answered.
        try
        {
            using var line = JsonDocument.Parse(step.GetProperty("raw").GetString()!);
            return ToCall(line.RootElement, out var call) is { } error ? InvalidCall(error) : ToJson(evaluator.Evaluate(call));
        }
        catch (JsonException e)
        {
            return InvalidCall(e.Message);
        }
    }

    private static void Advance(FakeTimeProvider clock, JsonElement step)
    {
        var at = step.TryGetProperty("at", out var outer) ? outer
            : step.TryGetProperty("call", out var call) && call.TryGetProperty("at", out var inner) ? inner
            : default;
        if (at.ValueKind == JsonValueKind.Number)
        {
            var target = Epoch.AddTicks(decimal.ToInt64(at.GetDecimal() * TimeSpan.TicksPerSecond));
            if (target > clock.GetUtcNow())
            {
                clock.SetUtcNow(target);
            }
        }
    }

    private static string? ToCall(JsonElement fields, out ToolCall call)
    {
        call = default;
        if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String)
        {
            return "no string 'tool'";
        }

        var hasSession = fields.TryGetProperty("session", out var session);
        var hasContext = fields.TryGetProperty("context", out var context);
        if ((hasSession && session.ValueKind != JsonValueKind.String) || (hasContext && context.ValueKind != JsonValueKind.Object))
        {
            return "'session' must be a string and 'context' an object";
        }

        var name = tool.GetString()!;
        call = (fields.TryGetProperty("arguments", out var arguments) ? new ToolCall(name, arguments) : new ToolCall(name)) with
        {
            SessionId = hasSession ? session.GetString() : null,
            Context = hasContext ? context.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal) : null,
            Definition = fields.TryGetProperty("definition", out var definition) ? definition : default,
        };
        return null;
    }

    private static JsonObject InvalidCall(string message) => new()
    {
        ["effect"] = "deny", ["code"] = DecisionCodes.InvalidCall, ["rule"] = null, ["message"] = message,
        ["retry_after"] = null, ["approval_id"] = null, ["shadowed"] = null,
    };

    private static JsonObject ToJson(Decision decision)
    {
        var answer = Outcome(decision.Effect, decision.Code, decision.Rule, decision.Message);
        answer["retry_after"] = decision.RetryAfter is { } wait ? (decimal)wait.Ticks / TimeSpan.TicksPerSecond : null;
        answer["approval_id"] = decision.ApprovalId;
        answer["shadowed"] = decision.Shadowed is { } s ? Outcome(s.Effect, s.Code, s.Rule, s.Message) : null;
        return answer;
    }

    private static JsonObject Outcome(PolicyEffect effect, string code, string? rule, string? message) => new()
    {
        ["effect"] = effect switch { PolicyEffect.Allow => "allow", PolicyEffect.Deny => "deny", _ => "require_approval" },
        ["code"] = code, ["rule"] = rule, ["message"] = message,
    };
}
