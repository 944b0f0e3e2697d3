using System.Collections.Frozen;
using System.Text.Json;

namespace PolicyEngine.Risk;

/// <summary>The classifier's words, read from the embedded risk-vocabulary.json (one readable file, not code).</summary>
internal sealed class RiskVocabulary
{
    private const string ResourceName = "PolicyEngine.Risk.risk-vocabulary.json";

    private static readonly Lazy<RiskVocabulary> Embedded = new(Load);

    private RiskVocabulary(
        FrozenDictionary<string, VerbClass> verbs,
        FrozenDictionary<string, NounKind> nouns,
        FrozenDictionary<string, PropertyKind> properties,
        FrozenDictionary<PhraseKind, string[]> phrases,
        string[] sqlRead,
        string[] sqlWrite)
    {
        Verbs = verbs;
        Nouns = nouns;
        Properties = properties;
        Phrases = phrases;
        SqlRead = sqlRead;
        SqlWrite = sqlWrite;
    }

    public static RiskVocabulary Default => Embedded.Value;

    public FrozenDictionary<string, VerbClass> Verbs { get; }

    public FrozenDictionary<string, NounKind> Nouns { get; }

    /// <summary>Keyed by the property name in lower case without <c>_ - .</c> (<c>unit_amount</c> → <c>unitamount</c>).</summary>
    public FrozenDictionary<string, PropertyKind> Properties { get; }

    public FrozenDictionary<PhraseKind, string[]> Phrases { get; }

    /// <summary>SQL keywords that read, matched in capitals only.</summary>
    public string[] SqlRead { get; }

    /// <summary>SQL keywords that write, matched in capitals only.</summary>
    public string[] SqlWrite { get; }

    /// <summary>Looks a word up as written, then as the singular of a plural (<c>orders</c>, <c>processes</c>, <c>policies</c>).</summary>
    public static bool TryLookup<T>(FrozenDictionary<string, T> words, string word, out T value, out bool plural)
    {
        plural = false;
        if (words.TryGetValue(word, out value!))
        {
            return true;
        }

        plural = true;
        foreach (var singular in Singulars(word))
        {
            if (words.TryGetValue(singular, out value!))
            {
                return true;
            }
        }

        plural = false;
        return false;
    }

    private static IEnumerable<string> Singulars(string word)
    {
        if (word.Length > 3 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            yield return string.Concat(word.AsSpan(0, word.Length - 3), "y");
        }

        if (word.Length > 2 && word.EndsWith("es", StringComparison.Ordinal))
        {
            yield return word[..^2];
        }

        if (word.Length > 1 && word[^1] == 's' && word[^2] != 's')
        {
            yield return word[..^1];
        }
    }

    private static RiskVocabulary Load()
    {
        using var stream = typeof(RiskVocabulary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new RiskVocabulary(
            Flags(root.GetProperty("verbs"), ParseVerb),
            Flags(root.GetProperty("nouns"), ParseNoun),
            Flags(root.GetProperty("properties"), ParseProperty),
            root.GetProperty("phrases").EnumerateObject().ToFrozenDictionary(p => Enum.Parse<PhraseKind>(p.Name, ignoreCase: true), p => Words(p.Value)),
            Words(root.GetProperty("sqlKeywords").GetProperty("read")),
            Words(root.GetProperty("sqlKeywords").GetProperty("write")));
    }

    // A word listed under several groups carries all their flags.
    private static FrozenDictionary<string, T> Flags<T>(JsonElement groups, Func<string, T> parse)
        where T : struct, Enum
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in groups.EnumerateObject())
        {
            var flag = Convert.ToInt32(parse(group.Name), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var word in Words(group.Value))
            {
                map[word] = map.GetValueOrDefault(word) | flag;
            }
        }

        return map.ToFrozenDictionary(p => p.Key, p => (T)Enum.ToObject(typeof(T), p.Value), StringComparer.Ordinal);
    }

    private static string[] Words(JsonElement array) => array.EnumerateArray().Select(w => w.GetString()!).ToArray();

    private static VerbClass ParseVerb(string group) => Enum.Parse<VerbClass>(group, ignoreCase: true);

    private static NounKind ParseNoun(string group) => Enum.Parse<NounKind>(group, ignoreCase: true);

    private static PropertyKind ParseProperty(string group) => Enum.Parse<PropertyKind>(group, ignoreCase: true);
}
