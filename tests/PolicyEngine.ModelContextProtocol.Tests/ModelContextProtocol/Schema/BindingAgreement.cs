using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.ModelContextProtocol.Schema;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>
/// Whether a tool was bound with what the policy read: the property test and the fuzz target's assertion (the fuzz
/// harness compiles this file too).
/// </summary>
internal static partial class BindingAgreement
{
    // Every path the tools are bound from is read by some condition; default allow, so that calls do run.
    public const string Policy = """
        { "version": "1", "default": "allow",
          "tools": {
            "order": { "deny_if": [{ "conditions": [{ "path": "args.side", "op": "eq", "value": "Sell" }, { "path": "args.quantity", "op": "gt", "value": 1000 }] }] },
            "transfer_request": {
              "require": [{ "path": "args.request.amount", "op": "lte", "value": 100 }],
              "deny_if": [{ "conditions": [{ "path": "args.request.to", "op": "starts_with", "value": "ext-" }] }] },
            "batch": { "deny_if": [{ "conditions": [{ "path": "args.lines[0].side", "op": "eq", "value": "Sell" }, { "path": "args.lines[0].count", "op": "gt", "value": 5 }] },
                                   { "conditions": [{ "path": "args.lines[1].symbol", "op": "eq", "value": "FORBIDDEN" }] }] },
            "measure": { "deny_if": [{ "conditions": [{ "path": "args.ratio", "op": "gt", "value": 1000 }, { "path": "args.count", "op": "gt", "value": 5 }, { "path": "args.big", "op": "eq", "value": 3 }] }] },
            "place_order": { "deny_if": [{ "conditions": [{ "path": "args.side", "op": "eq", "value": "sell" }, { "path": "args.quantity", "op": "gt", "value": 1000 }, { "path": "args.symbol", "op": "eq", "value": "FORBIDDEN" }] }] },
            "transfer": { "require": [{ "path": "args.amount", "op": "lte", "value": 100 }],
                          "deny_if": [{ "conditions": [{ "path": "args.to", "op": "starts_with", "value": "ext-" }] }] },
            "get_price": { "deny_if": [{ "conditions": [{ "path": "args.symbol", "op": "eq", "value": "FORBIDDEN" }] }] } } }
        """;

    /// <summary>
    /// Whether the policy, reading <paramref name="path"/> exactly (names compared ordinally), read what the tool got.
    /// A path the arguments do not have reads as absent, which agrees with a default (null, 0, the first enum value).
    /// A repeated name below the top level is a disagreement: the policy and the binder may each have taken another one.
    /// </summary>
    public static bool Agree(JsonElement root, string path, object? received)
    {
        if (path.EndsWith(".length", StringComparison.Ordinal) || path == "request")
        {
            var container = Read(root, path.Replace(".length", "", StringComparison.Ordinal), out var ambiguous);
            return !ambiguous && (container is { } c ? c.ValueKind is JsonValueKind.Array or JsonValueKind.Object : received is null);
        }

        var read = Read(root, path, out var repeated);
        if (repeated)
        {
            return false;
        }

        if (read is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return received is null || (received.GetType().IsValueType && received.Equals(Activator.CreateInstance(received.GetType())));
        }

        return received switch
        {
            string s => value.ValueKind == JsonValueKind.String && value.GetString() == s,
            Side side => value.ValueKind == JsonValueKind.String && value.GetString() == side.ToString(),
            decimal d => SameNumber(value, d.ToString(CultureInfo.InvariantCulture)),
            double d => SameNumber(value, d.ToString("R", CultureInfo.InvariantCulture)),
            IFormattable n => SameNumber(value, n.ToString(null, CultureInfo.InvariantCulture)),
            _ => false,
        };
    }

    private static bool SameNumber(JsonElement value, string received) =>
        value.ValueKind == JsonValueKind.Number &&
        ExactNumbers.TryNormalize(value.GetRawText(), out var read) && ExactNumbers.TryNormalize(received, out var got) && read == got;

    private static JsonElement? Read(JsonElement root, string path, out bool repeated)
    {
        repeated = false;
        JsonElement? current = root;
        foreach (var step in PathStep().Matches(path).Cast<Match>())
        {
            if (current is not { } at)
            {
                return null;
            }

            if (step.Groups["index"].Success)
            {
                var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                current = at.ValueKind == JsonValueKind.Array && index < at.GetArrayLength() ? at[index] : null;
                continue;
            }

            var name = step.Groups["name"].Value;
            var found = at.ValueKind == JsonValueKind.Object ? at.EnumerateObject().Where(p => p.NameEquals(name)).ToList() : [];

            // The top level arrives as a dictionary, the last of a repeated name kept, for the policy and the binder alike.
            repeated |= found.Count > 1 && step.Index > 0;
            current = found.Count == 0 ? null : found[^1].Value;
        }

        return current;
    }


    [GeneratedRegex(@"(?<name>[a-z]+)|\[(?<index>[0-9]+)\]")]
    private static partial Regex PathStep();
}
