using System.Text.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.ModelContextProtocol.Schema;

/// <summary>
/// What JSON Schema cannot say and the binder does differently from the policy, checked over every object and array
/// the schema declares (<c>properties</c>, <c>items</c>, <c>prefixItems</c>, through local <c>$ref</c>s and the
/// branches of <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>):
/// <list type="bullet">
/// <item>a name that equals a declared property only when case is ignored (the binder would take it for that
/// property; the policy reads it as another name);</item>
/// <item>a name repeated in one object (the binder keeps the last);</item>
/// <item>a number where the schema allows <c>number</c> that a double or a decimal cannot hold exactly (the binder
/// would round it; the policy compares it exactly);</item>
/// <item>a <c>"format": "uuid"</c> string not in lower-case 8-4-4-4-12 form (the binder reads any case).</item>
/// </list>
/// Repeated names are refused anywhere in the arguments, declared or not.
/// </summary>
internal static class ExactArguments
{
    // Local $ref chains longer than this (or cycles without an instance step) are not followed further.
    private const int MaxRefHops = 32;

    public static SchemaViolation? Check(JsonElement schemaRoot, JsonElement instance)
    {
        var schemas = new List<JsonElement>(4);
        Collect(schemaRoot, schemaRoot, schemas, 0);
        return Walk(schemaRoot, schemas, instance, null);
    }

    private static SchemaViolation? Walk(JsonElement root, List<JsonElement> schemas, JsonElement instance, Location? location)
    {
        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                return WalkObject(root, schemas, instance, location);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in instance.EnumerateArray())
                {
                    var itemSchemas = new List<JsonElement>(2);
                    foreach (var schema in schemas)
                    {
                        if (schema.TryGetProperty("prefixItems", out var prefix) && prefix.ValueKind == JsonValueKind.Array && index < prefix.GetArrayLength())
                        {
                            Collect(root, prefix[index], itemSchemas, 0);
                        }
                        else if (schema.TryGetProperty("items", out var items))
                        {
                            Collect(root, items, itemSchemas, 0);
                        }
                    }

                    if (Walk(root, itemSchemas, item, new Location(location, null, index)) is { } violation)
                    {
                        return violation;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Number when AllowsNonIntegers(schemas) && !ExactNumbers.SurvivesBinding(instance.GetRawText()):
                return Violation(location, Sentences.SchemaInexactNumber);
            case JsonValueKind.String when HasUuidFormat(schemas) && !IsCanonicalUuid(instance.GetString()!):
                return Violation(location, Sentences.SchemaGuid);
            default:
                return null;
        }
    }

    // A Guid parameter binds any hex case, so "ABC…" would run where the policy matched no "abc…": one spelling only.
    private static bool HasUuidFormat(List<JsonElement> schemas) =>
        schemas.Exists(s => s.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.ValueEquals("uuid"));

    private static bool IsCanonicalUuid(string text) =>
        Guid.TryParseExact(text, "D", out var guid) && string.Equals(guid.ToString("D"), text, StringComparison.Ordinal);

    private static SchemaViolation? WalkObject(JsonElement root, List<JsonElement> schemas, JsonElement instance, Location? location)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in instance.EnumerateObject())
        {
            var name = property.Name;
            var at = new Location(location, name, 0);
            if (!seen.Add(name))
            {
                return Violation(at, Sentences.SchemaRepeatedProperty);
            }

            var valueSchemas = new List<JsonElement>(2);
            string? caseVariantOf = null;
            foreach (var schema in schemas)
            {
                if (!schema.TryGetProperty("properties", out var declared) || declared.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var candidate in declared.EnumerateObject())
                {
                    if (candidate.NameEquals(name))
                    {
                        Collect(root, candidate.Value, valueSchemas, 0);
                    }
                    else if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        caseVariantOf ??= candidate.Name;
                    }
                }
            }

            // An exact match wins in the binder too only when it is the sole candidate: any case variant is refused.
            if (caseVariantOf is not null)
            {
                return Violation(at, Sentences.SchemaCaseVariant(Shorten(caseVariantOf)));
            }

            if (Walk(root, valueSchemas, property.Value, at) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>Adds a schema and, flattened, the schemas that apply with it: its local $ref and its combinators' branches.</summary>
    private static void Collect(JsonElement root, JsonElement schema, List<JsonElement> into, int hops)
    {
        if (schema.ValueKind != JsonValueKind.Object || hops > MaxRefHops)
        {
            return;
        }

        into.Add(schema);
        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String &&
            Resolve(root, reference.GetString()!) is { } target)
        {
            Collect(root, target, into, hops + 1);
        }

        foreach (var combinator in (ReadOnlySpan<string>)["allOf", "anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(combinator, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                foreach (var branch in branches.EnumerateArray())
                {
                    Collect(root, branch, into, hops + 1);
                }
            }
        }
    }

    // Only document-local references ("#", "#/$defs/x"); anything else is left to the validator, which fails on it.
    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var current = root;
        foreach (var token in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(token).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(name, System.Globalization.CultureInfo.InvariantCulture, out var i) &&
                     i >= 0 && i < current.GetArrayLength())
            {
                current = current[i];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    // A schema that allows numbers but not only integers; integers bind exactly or fail to bind.
    private static bool AllowsNonIntegers(List<JsonElement> schemas)
    {
        foreach (var schema in schemas)
        {
            if (!schema.TryGetProperty("type", out var type))
            {
                continue;
            }

            if (type.ValueKind == JsonValueKind.String && type.ValueEquals("number"))
            {
                return true;
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in type.EnumerateArray())
                {
                    if (t.ValueKind == JsonValueKind.String && t.ValueEquals("number"))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // The pointer is built only for the value that fails; the message quotes at most 64 characters of it.
    private static SchemaViolation Violation(Location? at, string format)
    {
        var pointer = Location.ToPointer(at);
        return new SchemaViolation(pointer, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Shorten(pointer)));
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    /// <summary>Where the walk is, as a chain to the root: a property name, or else an array index.</summary>
    private sealed record Location(Location? Parent, string? Name, int Index)
    {
        public static string ToPointer(Location? at)
        {
            var tokens = new Stack<string>();
            for (; at is not null; at = at.Parent)
            {
                tokens.Push(at.Name is { } name
                    ? name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
                    : at.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return tokens.Count == 0 ? "" : "/" + string.Join('/', tokens);
        }
    }
}
