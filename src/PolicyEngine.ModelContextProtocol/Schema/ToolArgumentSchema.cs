using System.Text.Json;
using Json.Schema;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.ModelContextProtocol.Schema;

/// <summary>
/// A tool's <c>inputSchema</c>, compiled once, that checks a call's arguments before the policy reads them. It stops
/// every call that the SDK's binder (System.Text.Json web defaults: names matched in any case, enums read in any case,
/// trimmed, comma-combined or from numbers, numbers from strings) would read differently from the policy:
/// JSON Schema 2020-12 for types, <c>enum</c> and <c>required</c>, then <see cref="ExactArguments"/> for what a schema
/// cannot say (names that match a declared one only when case is ignored, repeated names, numbers a double or a
/// decimal cannot hold exactly).
/// </summary>
internal sealed class ToolArgumentSchema
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    private const int MaxDepth = 256;

    private readonly JsonSchema? _schema;
    private readonly JsonElement _root;
    private readonly string? _compileError;

    private ToolArgumentSchema(JsonSchema? schema, JsonElement root, string? compileError)
    {
        _schema = schema;
        _root = root;
        _compileError = compileError;
    }

    /// <summary>Compiles a listed schema; one that JsonSchema.Net cannot build refuses every call (fail closed).</summary>
    public static ToolArgumentSchema Compile(JsonElement inputSchema)
    {
        var root = inputSchema.Clone();
        try
        {
            // A registry of its own, so that an $id in one tool's schema never meets another tool's, and nothing is
            // left behind in the global registry.
            var build = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
            var schema = JsonSchema.Build(root, build, new Uri("urn:policyengine:tool:" + Guid.NewGuid().ToString("N")));
            return new ToolArgumentSchema(schema, root, null);
        }
#pragma warning disable CA1031 // Any fault in a listed schema refuses the tool's calls instead of reaching the client as a transport error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ToolArgumentSchema(null, root, Sentences.SchemaUnusable(e.Message));
        }
    }

    /// <summary>The first reason the arguments are refused, or <see langword="null"/> when they are accepted.</summary>
    public SchemaViolation? Check(IDictionary<string, JsonElement>? arguments)
    {
        if (_schema is null)
        {
            return new SchemaViolation("", _compileError!);
        }

        JsonDocument instance;
        try
        {
            instance = ToDocument(arguments);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new SchemaViolation("", Sentences.SchemaTooDeep(MaxDepth));
        }

        using var _ = instance;
        var exact = ExactArguments.Check(_root, instance.RootElement);
        if (exact is not null)
        {
            return exact;
        }

        EvaluationResults results;
        try
        {
            results = _schema.Evaluate(instance.RootElement, Evaluation);
        }
#pragma warning disable CA1031 // The validator must not turn hostile arguments into a transport error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new SchemaViolation("", Sentences.SchemaUncheckable(e.Message));
        }

        return results.IsValid ? null : FirstError(results);
    }

    private static SchemaViolation FirstError(EvaluationResults results)
    {
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is { Count: > 0 } errors)
            {
                var (keyword, message) = errors.First();
                var location = detail.InstanceLocation.ToString();
                return new SchemaViolation(location, Sentences.SchemaMismatchAt(location, keyword, message));
            }
        }

        return new SchemaViolation("", Sentences.SchemaMismatch);
    }

    // The arguments arrive as a dictionary (the last of repeated top-level names already won, for the policy and the
    // binder alike); the validator reads one JSON object.
    private static JsonDocument ToDocument(IDictionary<string, JsonElement>? arguments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth + 1 }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
            {
                writer.WritePropertyName(name);
                if (value.ValueKind == JsonValueKind.Undefined)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = MaxDepth });
    }
}

/// <summary>Why a call's arguments were refused: the JSON Pointer of the failing value, and a sentence.</summary>
internal sealed record SchemaViolation(string InstanceLocation, string Message);
