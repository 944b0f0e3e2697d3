using System.Text.Json;

namespace PolicyEngine.Testing;

/// <summary>
/// Matches a step's <c>expect</c> against its answer, as the conformance runner does: only the fields given, a
/// nested object field by field, an explicit <c>null</c> distinct from a missing field, and <c>retry_after</c>
/// within 0.001 s (seconds printed from ticks may round in the last digit).
/// </summary>
internal static class ExpectMatcher
{
    private const decimal RetryAfterTolerance = 0.001m;

    /// <summary>The first field that does not match, as <c>field: expected X, got Y</c>; or <see langword="null"/>.</summary>
    public static string? Mismatch(JsonElement expect, JsonElement got, string prefix = "")
    {
        foreach (var field in expect.EnumerateObject())
        {
            var name = prefix + field.Name;
            if (got.ValueKind != JsonValueKind.Object || !got.TryGetProperty(field.Name, out var value))
            {
                return $"{name}: expected {field.Value.GetRawText()}, got no such field";
            }

            var mismatch = field.Name == "retry_after" ? (Close(field.Value, value) ? null : Differ(name, field.Value, value))
                : field.Value.ValueKind == JsonValueKind.Object && value.ValueKind == JsonValueKind.Object ? Mismatch(field.Value, value, name + ".")
                : JsonElement.DeepEquals(field.Value, value) ? null
                : Differ(name, field.Value, value);
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        return null;
    }

    private static string Differ(string name, JsonElement want, JsonElement got) => $"{name}: expected {want.GetRawText()}, got {got.GetRawText()}";

    private static bool Close(JsonElement want, JsonElement got) =>
        want.ValueKind == JsonValueKind.Null || got.ValueKind == JsonValueKind.Null
            ? want.ValueKind == got.ValueKind
            : want.ValueKind == JsonValueKind.Number && got.ValueKind == JsonValueKind.Number &&
              want.TryGetDecimal(out var w) && got.TryGetDecimal(out var g) && Math.Abs(w - g) <= RetryAfterTolerance;
}
