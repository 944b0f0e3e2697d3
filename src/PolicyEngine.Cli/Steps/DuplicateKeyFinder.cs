using System.Text.Json;

namespace PolicyEngine.Cli.Steps;

/// <summary>
/// Finds the first duplicate property name at any depth of a JSON text, comparing names after unescaping
/// (<c>"a"</c> and <c>"\u0061"</c> clash). JsonDocument's own AllowDuplicateProperties = false rejects such texts
/// but does not say where, and a reload step must hand a duplicate inside its policy to the validator.
/// </summary>
internal static class DuplicateKeyFinder
{
    /// <summary>Scans <paramref name="json"/>, which must already be known to be valid JSON.</summary>
    public static DuplicateKey? Find(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var scopes = new Stack<HashSet<string>?>();
        string? topLevelKey = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    scopes.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    scopes.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    if (!scopes.Peek()!.Add(name))
                    {
                        return new DuplicateKey(scopes.Count == 1 ? null : topLevelKey, name);
                    }

                    if (scopes.Count == 1)
                    {
                        topLevelKey = name;
                    }

                    break;
            }
        }

        return null;
    }
}
