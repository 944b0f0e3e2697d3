using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyEngine.Compilation;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// <c>policyengine convert</c>: an Intercept document written out as the translated document of this engine's
/// JSON form. What Intercept semantics give that the JSON form cannot say (orderings and costs that take JSON
/// numbers only) is reported, and then nothing is written: the JSON would be more permissive there.
/// </summary>
internal static class InterceptConversion
{
    public static bool TryConvert(ReadOnlySpan<byte> utf8, out string? json, out IReadOnlyList<PolicyError> errors)
    {
        json = null;
        var d = new Diagnostics();
        using var tree = (YamlReader.LooksLikeYaml(utf8) ? YamlReader.Read(utf8, d) : SourceReader.Read(utf8, d))?.Tree;
        if (tree is not null && !d.HasErrors && !InterceptShape.IsIntercept(tree.Root))
        {
            d.Add(tree.Root, ValidationMessages.NotIntercept);
        }

        using var translated = d.HasErrors || tree is null ? null : InterceptTranslator.Translate(tree.Root, d, utf8.Length);
        if (translated is not null)
        {
            Inexpressible(translated.Root, d);
        }

        if (d.HasErrors || translated is null)
        {
            errors = d.Resolve(utf8);
            return false;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, translated.Root);
        }

        json = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        return PolicyCompiler.TryCompile(Encoding.UTF8.GetBytes(json), out _, out errors, yaml: false);
    }

    /// <summary>Reports each value whose Intercept meaning this engine's JSON form would widen.</summary>
    private static void Inexpressible(JNode node, Diagnostics d)
    {
        if (node.Kind == JKind.Object)
        {
            if (node.Get("op") is { IsString: true, Text: "lt" or "lte" or "gt" or "gte" } op && node.Get("path") is not null)
            {
                d.Add(node, ValidationMessages.NotConvertedOrdering(op.Text!));
            }

            if (node.Get("cost") is { } cost && node.Get("max") is not null)
            {
                d.Add(cost, ValidationMessages.NotConvertedIncrementFrom);
            }

            foreach (var m in node.Members)
            {
                Inexpressible(m.Value, d);
            }
        }
        else if (node.Kind == JKind.Array)
        {
            foreach (var item in node.Items)
            {
                Inexpressible(item, d);
            }
        }
    }

    private static void Write(Utf8JsonWriter w, JNode node)
    {
        switch (node.Kind)
        {
            case JKind.Object:
                w.WriteStartObject();
                foreach (var m in node.Members)
                {
                    w.WritePropertyName(m.Name);
                    Write(w, m.Value);
                }

                w.WriteEndObject();
                break;
            case JKind.Array:
                w.WriteStartArray();
                foreach (var item in node.Items)
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case JKind.String:
                w.WriteStringValue(node.Text);
                break;
            case JKind.Number:
                w.WriteRawValue(node.NumberUtf8);
                break;
            case JKind.Null:
                w.WriteNullValue();
                break;
            default:
                w.WriteBooleanValue(node.Kind == JKind.True);
                break;
        }
    }
}
