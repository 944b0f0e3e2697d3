namespace PolicyEngine.Risk;

/// <summary>Splits names and text into lower-case words: at anything but letters and digits, and at camelCase humps.</summary>
internal static class WordSplitter
{
    /// <summary>At most this many words are read from one text.</summary>
    public const int MaxWords = 4096;

    /// <summary><c>BinanceOptionsCancelAllOrders</c> → binance, options, cancel, all, orders; <c>HTTPServer</c> → http, server.</summary>
    public static List<string> Split(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var start = -1;
        for (var i = 0; i <= text.Length && words.Count < MaxWords; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start >= 0 && IsHump(text, i))
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = i;
            }
            else if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    // aB starts a word at B; ABc starts one at B (the end of an acronym).
    private static bool IsHump(string text, int i) =>
        char.IsUpper(text[i]) &&
        (char.IsLower(text[i - 1]) || char.IsDigit(text[i - 1]) ||
         (char.IsUpper(text[i - 1]) && i + 1 < text.Length && char.IsLower(text[i + 1])));
}
