using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using PolicyEngine.DecisionTree.Conditions;

namespace PolicyEngine.Tests.DecisionTree.Conditions;

/// <summary>A regex of plain words is searched for in the UTF-8 bytes; it must agree with the regex itself.</summary>
public class RegexLiteralsTests
{
    private const RegexOptions SpecOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    [Theory]
    [InlineData("urgent|override", 2)]
    [InlineData("a", 1)]
    [InlineData("two words|x-y_z|0123", 3)]
    public void Plain_words_are_recognised(string pattern, int words) =>
        Assert.Equal(words, RegexLiterals.TryGetWords(new Regex(pattern, SpecOptions))?.Length);

    [Theory]
    [InlineData("urg.nt")]
    [InlineData("^urgent")]
    [InlineData("urgent$")]
    [InlineData("a||b")]
    [InlineData("|a")]
    [InlineData("(a|b)")]
    [InlineData("a\\|b")]
    [InlineData("caf\u00e9")]
    [InlineData("a|b|c|d|e|f|g|h|i")]
    [InlineData("a b#c")]
    public void Anything_else_is_left_to_the_regex(string pattern) =>
        Assert.Null(RegexLiterals.TryGetWords(new Regex(pattern, SpecOptions)));

    [Fact]
    public void Other_options_are_left_to_the_regex() =>
        Assert.Null(RegexLiterals.TryGetWords(new Regex("urgent", SpecOptions | RegexOptions.IgnoreCase)));

    [Fact]
    public void The_search_agrees_with_the_regex_on_any_text_and_any_bytes()
    {
        var words = Gen.Elements("ab", "b", "urgent", "x y", "a-b", "9", "_").ArrayOf().Where(w => w.Length is > 0 and <= 8);
        var alphabet = Gen.Elements('a', 'b', 'u', 'r', 'g', 'e', 'n', 't', ' ', '-', '_', '9', 'x', 'y', '\u00e9', '\u20ac', 'A');
        var text = alphabet.ArrayOf().Select(cs => new string(cs));
        Prop.ForAll(words.ToArbitrary(), text.ToArbitrary(), (ws, t) =>
        {
            var regex = new Regex(string.Join("|", ws), SpecOptions);
            var literal = RegexLiterals.TryGetWords(regex)!;
            return RegexLiterals.IsMatch(Encoding.UTF8.GetBytes(t), literal) == regex.IsMatch(t);
        }).QuickCheckThrowOnFailure();

        // Invalid UTF-8 decodes to U+FFFD, never to an ASCII character, so a word is found in the bytes iff in the text.
        var bytes = Gen.Elements<byte>(0x61, 0x62, 0x80, 0xC3, 0xE2, 0xFF, 0x20).ArrayOf();
        Prop.ForAll(words.ToArbitrary(), bytes.ToArbitrary(), (ws, b) =>
        {
            var regex = new Regex(string.Join("|", ws), SpecOptions);
            return RegexLiterals.IsMatch(b, RegexLiterals.TryGetWords(regex)!) == regex.IsMatch(Encoding.UTF8.GetString(b));
        }).QuickCheckThrowOnFailure();
    }
}
