using System.Text.Json;

namespace PolicyEngine.Risk;

/// <summary>Every signal the vocabulary finds in one tool definition, each with the reason a person reads.</summary>
internal sealed class ToolEvidence
{
    /// <summary>At most this many characters of a description are read.</summary>
    public const int MaxDescriptionChars = 16 * 1024;

    /// <summary>At most this many input-schema properties are read.</summary>
    public const int MaxProperties = 256;

    private ToolEvidence(ToolFacts facts) => Facts = facts;

    public ToolFacts Facts { get; }

    public List<string> Reasons { get; } = [];

    /// <summary>The classes of the verbs that say what the tool does (from the name, else the title, else the description's first sentence).</summary>
    public VerbClass Actions { get; private set; }

    /// <summary>The kinds of the nouns in the name and title.</summary>
    public NounKind Nouns { get; private set; }

    public PropertyKind Properties { get; private set; }

    /// <summary>The schema has a <c>query</c> or <c>sql</c> property, or the name says "query".</summary>
    public bool TakesQuery { get; private set; }

    /// <summary>A verb is followed in the name by a plural noun the vocabulary knows (<c>cancel_orders</c>): it acts on many.</summary>
    public bool PluralObject { get; private set; }

    public bool SqlReads { get; private set; }

    public bool SqlWrites { get; private set; }

    private HashSet<PhraseKind> PhraseKinds { get; } = [];

    public bool Says(PhraseKind kind) => PhraseKinds.Contains(kind);

    public static ToolEvidence Gather(ToolFacts facts, RiskVocabulary vocabulary)
    {
        var evidence = new ToolEvidence(facts);
        evidence.ReadAnnotations();
        evidence.ReadName(vocabulary);
        evidence.ReadSchema(vocabulary);
        evidence.ReadDescription(vocabulary);
        return evidence;
    }

    private void ReadAnnotations()
    {
        Annotation("readOnlyHint", Facts.ReadOnlyHint);
        Annotation("destructiveHint", Facts.DestructiveHint);
        Annotation("openWorldHint", Facts.OpenWorldHint);
    }

    private void Annotation(string name, bool? value)
    {
        if (value == true)
        {
            Reasons.Add($"annotation {name}=true");
        }
    }

    private void ReadName(RiskVocabulary vocabulary)
    {
        ReadWords(vocabulary, WordSplitter.Split(Facts.Name), "name");
        if (Actions == VerbClass.None)
        {
            ReadWords(vocabulary, WordSplitter.Split(Facts.Title), "title");
        }

        if (Actions == VerbClass.None)
        {
            // No verb in the name or title: the description's first sentence says what the tool does.
            foreach (var word in WordSplitter.Split(FirstSentence(Facts.Description)))
            {
                if (RiskVocabulary.TryLookup(vocabulary.Verbs, word, out var verb, out _))
                {
                    Actions = verb;
                    Reasons.Add($"verb \"{word}\" in description");
                    break;
                }
            }
        }
    }

    private void ReadWords(RiskVocabulary vocabulary, List<string> words, string where)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (RiskVocabulary.TryLookup(vocabulary.Verbs, word, out var verb, out _))
            {
                Actions |= verb;
                Reasons.Add($"verb \"{word}\" in {where}");
                // "Acts on many" matters where many is worse: cancelling, deleting, paying.
                var weighty = (verb & (VerbClass.Destroy | VerbClass.Money | VerbClass.Commit)) != 0;
                if (weighty && i + 1 < words.Count && RiskVocabulary.TryLookup(vocabulary.Nouns, words[i + 1], out var next, out var plural) && plural && next != NounKind.Mass)
                {
                    PluralObject = true;
                    Reasons.Add($"plural \"{words[i + 1]}\" after \"{word}\": acts on many");
                }
            }

            if (RiskVocabulary.TryLookup(vocabulary.Nouns, word, out var noun, out _))
            {
                Nouns |= noun;
                Reasons.Add($"noun \"{word}\" in {where}");
            }

            TakesQuery |= word is "query" or "sql";
        }
    }

    private void ReadSchema(RiskVocabulary vocabulary)
    {
        if (Facts.InputSchema.ValueKind != JsonValueKind.Object ||
            !Facts.InputSchema.TryGetProperty("properties", out var properties) ||
            properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var count = 0;
        foreach (var property in properties.EnumerateObject())
        {
            if (++count > MaxProperties)
            {
                break;
            }

            var key = Normalise(property.Name);
            TakesQuery |= key is "query" or "sql";
            if (vocabulary.Properties.TryGetValue(key, out var kind))
            {
                Properties |= kind;
                Reasons.Add($"schema property \"{property.Name}\"");
            }
        }
    }

    private void ReadDescription(RiskVocabulary vocabulary)
    {
        var text = Facts.Description;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.Length > MaxDescriptionChars)
        {
            text = text[..MaxDescriptionChars];
        }

        var lower = text.ToLowerInvariant();
        foreach (var (kind, phrases) in vocabulary.Phrases)
        {
            // "all" or "every" only counts in the sentence that says what the tool does, not in later advice.
            var scope = kind == PhraseKind.Mass ? lower[..FirstSentenceEnd(lower)] : lower;
            foreach (var phrase in phrases)
            {
                var at = IndexOfWord(scope, phrase, StringComparison.Ordinal);
                if (at >= 0)
                {
                    PhraseKinds.Add(kind);
                    Reasons.Add($"description says \"{text.AsSpan(at, phrase.Length)}\"");
                    break;
                }
            }
        }

        SqlReads = Keyword(text, vocabulary.SqlRead);
        SqlWrites = Keyword(text, vocabulary.SqlWrite);
    }

    private bool Keyword(string text, string[] keywords)
    {
        foreach (var keyword in keywords)
        {
            if (IndexOfWord(text, keyword, StringComparison.Ordinal) >= 0)
            {
                Reasons.Add($"description says \"{keyword}\"");
                return true;
            }
        }

        return false;
    }

    private static int IndexOfWord(string text, string phrase, StringComparison comparison)
    {
        for (var at = text.IndexOf(phrase, comparison); at >= 0; at = text.IndexOf(phrase, at + 1, comparison))
        {
            var end = at + phrase.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return at;
            }
        }

        return -1;
    }

    private static string FirstSentence(string? text) => string.IsNullOrEmpty(text) ? "" : text[..FirstSentenceEnd(text)];

    // The end of the first sentence: the first ". " or line break after any leading blank space.
    private static int FirstSentenceEnd(string text)
    {
        var start = text.Length - text.AsSpan().TrimStart().Length;
        var end = text.Length;
        foreach (var stop in (ReadOnlySpan<string>)[". ", ".\n", "\n"])
        {
            var at = text.IndexOf(stop, start, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }

        return end;
    }

    private static string Normalise(string property)
    {
        Span<char> buffer = stackalloc char[Math.Min(property.Length, 64)];
        var n = 0;
        foreach (var c in property)
        {
            if (n == buffer.Length)
            {
                break;
            }

            if (char.IsLetterOrDigit(c))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }
}
