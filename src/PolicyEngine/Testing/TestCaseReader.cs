using System.Text.Json;
using PolicyEngine.Document;

namespace PolicyEngine.Testing;

/// <summary>
/// Reads the test case format (docs/authoring.md, the conformance case format of the spec). Anything it cannot
/// read, including an unknown key, is an <see cref="InvalidDataException"/>: a misspelt <c>expect</c> silently
/// ignored would make a test pass that checks nothing.
/// </summary>
internal static class TestCaseReader
{
    /// <summary>The largest test file read (a policy alone may be 16 MiB).</summary>
    public const int MaxTestBytes = 64 * 1024 * 1024;

    private const int MaxPolicyBytes = global::PolicyEngine.Policy.MaxDocumentBytes;

    private static readonly string[] CaseKeys = ["name", "description", "policy", "policy_text", "steps", "expect_errors"];
    private static readonly string[] StepKeys = ["call", "raw", "approve", "reload", "at", "expect", "description"];

    public static TestCase Read(JsonElement root, string? baseDirectory, string fallbackName)
    {
        var keys = Keys(root, "", CaseKeys);
        var name = keys.TryGetValue("name", out var n) ? String(n, "/name") : fallbackName;
        if (keys.ContainsKey("description"))
        {
            String(keys["description"], "/description");
        }

        var policy = (keys.TryGetValue("policy", out var p), keys.TryGetValue("policy_text", out var text)) switch
        {
            (true, false) when p.ValueKind == JsonValueKind.String => ReadPolicyFile(p.GetString()!, baseDirectory),
            (true, false) => JsonMarshalText(p),
            (false, true) => System.Text.Encoding.UTF8.GetBytes(String(text, "/policy_text")),
            _ => throw Invalid("", ValidationMessages.TestPolicyChoice),
        };

        return (keys.TryGetValue("steps", out var steps), keys.TryGetValue("expect_errors", out var errors)) switch
        {
            (true, false) => new TestCase { Name = name, Policy = policy, Steps = ReadSteps(steps) },
            (false, true) => new TestCase { Name = name, Policy = policy, ExpectErrors = ReadPointers(errors) },
            _ => throw Invalid("", ValidationMessages.TestKindChoice),
        };
    }

    /// <summary><see langword="true"/> when <paramref name="root"/> has the shape of a test case (found in a folder).</summary>
    public static bool LooksLikeTest(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("steps", out _) || root.TryGetProperty("expect_errors", out _));

    private static List<TestStep> ReadSteps(JsonElement steps)
    {
        if (steps.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("/steps", ValidationMessages.TestSteps);
        }

        var list = new List<TestStep>();
        foreach (var step in steps.EnumerateArray())
        {
            var at = $"/steps/{list.Count}";
            var keys = Keys(step, at, StepKeys);
            var kinds = new[] { "call", "raw", "approve", "reload" }.Where(keys.ContainsKey).ToList();
            if (kinds.Count != 1)
            {
                throw Invalid(at, ValidationMessages.TestStepKind);
            }

            if (!keys.TryGetValue("expect", out var expect) || expect.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(at + "/expect", ValidationMessages.TestExpect);
            }

            var kind = kinds[0] switch
            {
                "call" => TestStepKind.Call,
                "raw" => TestStepKind.Raw,
                "approve" => TestStepKind.Approve,
                _ => TestStepKind.Reload,
            };
            var body = keys[kinds[0]];
            if (kind == TestStepKind.Raw)
            {
                String(body, at + "/raw");
            }

            list.Add(new TestStep(kind, body, keys.TryGetValue("at", out var time) ? Seconds(time, at + "/at") : null, expect));
        }

        return list;
    }

    private static List<string> ReadPointers(JsonElement errors)
    {
        if (errors.ValueKind != JsonValueKind.Array || errors.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Invalid("/expect_errors", ValidationMessages.TestExpectErrors);
        }

        return errors.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>An <c>at</c>: seconds on the virtual clock, a number from 0 to <see cref="TestClock.MaxSeconds"/>.</summary>
    public static decimal Seconds(JsonElement value, string pointer) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var seconds) && seconds >= 0 && seconds <= TestClock.MaxSeconds
            ? seconds
            : throw Invalid(pointer, ValidationMessages.TestAt(TestClock.MaxSeconds));

    private static byte[] ReadPolicyFile(string relative, string? baseDirectory)
    {
        var path = Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), relative);
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxPolicyBytes)
            {
                throw Invalid("/policy", ValidationMessages.TestPolicyFileTooLarge(path, MaxPolicyBytes));
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid("/policy", ValidationMessages.TestPolicyFileUnreadable(path, e.Message));
        }
    }

    // The document exactly as written in the test file, so the validator reports what the author wrote.
    private static byte[] JsonMarshalText(JsonElement value) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).ToArray();

    private static Dictionary<string, JsonElement> Keys(JsonElement value, string pointer, string[] known)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(pointer, ValidationMessages.TestObject);
        }

        var keys = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!keys.TryAdd(property.Name, property.Value))
            {
                throw Invalid(pointer, ValidationMessages.TestDuplicateKey(property.Name));
            }

            if (!known.Contains(property.Name, StringComparer.Ordinal) && property.Name != "$schema" && !property.Name.StartsWith("x-", StringComparison.Ordinal))
            {
                throw Invalid(pointer, ValidationMessages.TestUnknownKey(property.Name, known));
            }
        }

        return keys;
    }

    private static string String(JsonElement value, string pointer) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(pointer, ValidationMessages.TestString);

    private static InvalidDataException Invalid(string pointer, string message) =>
        new(pointer.Length == 0 ? message : $"{pointer}: {message}");
}
