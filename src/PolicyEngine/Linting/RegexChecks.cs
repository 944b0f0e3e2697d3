using System.Text.RegularExpressions;
using PolicyEngine.Document;

namespace PolicyEngine.Linting;

/// <summary>
/// PE0007 and PE0008: anchors that make a regex never match (<c>a^b</c>, <c>a$b</c>) or bind to one alternative
/// only (<c>^BTC|ETH$</c>). Outside <c>(?m)</c>, <c>^</c> matches only at the start of the value and <c>$</c> only at its
/// very end (docs/policy-language.md#conditions.5). The pattern is read as tokens, roughly: enough to know where anchors stand.
/// </summary>
internal static partial class RegexChecks
{
    private enum Kind
    {
        Atom,
        Open,
        Close,
        Alternation,
        Caret,
        Dollar,
        Quantifier,
    }

    public static void Check(LintContext context, JNode value)
    {
        var pattern = value.Text!;
        if (Multiline().IsMatch(pattern))
        {
            return; // (?m): ^ and $ also match at line breaks, so an anchor in the middle can be meant.
        }

        var tokens = Tokens(pattern);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == Kind.Caret && i > 0 && tokens[i - 1] is not (Kind.Open or Kind.Alternation or Kind.Caret))
            {
                Report(context, value, tokens[i - 1] == Kind.Atom, LintMessages.CaretAfterCharacters);
                return;
            }

            if (tokens[i] == Kind.Dollar && i + 1 < tokens.Count && tokens[i + 1] is not (Kind.Close or Kind.Alternation or Kind.Dollar))
            {
                var mandatory = tokens[i + 1] == Kind.Atom && (i + 2 >= tokens.Count || tokens[i + 2] != Kind.Quantifier);
                Report(context, value, mandatory, LintMessages.DollarBeforeCharacters);
                return;
            }
        }

        Alternatives(context, value, tokens);
    }

    private static void Report(LintContext context, JNode value, bool never, string why) =>
        context.Add(never ? LintCodes.RegexNeverMatches : LintCodes.RegexMisanchored, value,
            never ? LintMessages.RegexNeverMatches(why) : LintMessages.RegexAnchoredInMiddle(why));

    // Top-level alternatives where only some are anchored: "^BTC|ETH$" is "^BTC" or "ETH$", not "^(BTC|ETH)$".
    private static void Alternatives(LintContext context, JNode value, List<Kind> tokens)
    {
        var alternatives = new List<(bool Start, bool End)>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            if (i == tokens.Count || (tokens[i] == Kind.Alternation && depth == 0))
            {
                alternatives.Add((i > start && tokens[start] == Kind.Caret, i > start && tokens[i - 1] == Kind.Dollar));
                start = i + 1;
                continue;
            }

            depth += tokens[i] == Kind.Open ? 1 : tokens[i] == Kind.Close ? -1 : 0;
        }

        if (alternatives.Count > 1 &&
            (alternatives.Any(a => a.Start) && !alternatives.All(a => a.Start) || alternatives.Any(a => a.End) && !alternatives.All(a => a.End)))
        {
            context.Add(LintCodes.RegexMisanchored, value,
                LintMessages.AnchoredAlternatives);
        }
    }

    private static List<Kind> Tokens(string p)
    {
        var tokens = new List<Kind>();
        for (var i = 0; i < p.Length; i++)
        {
            switch (p[i])
            {
                case '\\':
                    i++;
                    // \b \B \A \G \z \Z are zero-width: they neither consume a character nor make an anchor misplaced.
                    if (i < p.Length && p[i] is not ('b' or 'B' or 'A' or 'G' or 'z' or 'Z'))
                    {
                        tokens.Add(Kind.Atom);
                    }

                    break;
                case '[':
                    i = ClassEnd(p, i);
                    tokens.Add(Kind.Atom);
                    break;
                case '(' when i + 1 < p.Length && p[i + 1] == '?' && InlineOptions().Match(p, i) is { Success: true } options:
                    i += options.Length - 1; // "(?i)": only sets options
                    break;
                case '(':
                    tokens.Add(Kind.Open);
                    break;
                case ')':
                    tokens.Add(Kind.Close);
                    break;
                case '|':
                    tokens.Add(Kind.Alternation);
                    break;
                case '^':
                    tokens.Add(Kind.Caret);
                    break;
                case '$':
                    tokens.Add(Kind.Dollar);
                    break;
                case '*' or '+' or '?':
                    tokens.Add(Kind.Quantifier);
                    break;
                case '{' when Repetition().Match(p, i) is { Success: true } repeat:
                    i += repeat.Length - 1;
                    tokens.Add(Kind.Quantifier);
                    break;
                default:
                    tokens.Add(Kind.Atom);
                    break;
            }
        }

        return tokens;
    }

    private static int ClassEnd(string p, int open)
    {
        var i = open + 1;
        if (i < p.Length && p[i] == '^')
        {
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            i++; // a ']' first in a class is a character
        }

        for (; i < p.Length && p[i] != ']'; i++)
        {
            if (p[i] == '\\')
            {
                i++;
            }
        }

        return i;
    }

    [GeneratedRegex(@"\(\?[a-zA-Z]*m", RegexOptions.CultureInvariant)]
    private static partial Regex Multiline();

    [GeneratedRegex(@"\G\(\?[a-zA-Z-]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex InlineOptions();

    [GeneratedRegex(@"\G\{[0-9]+(,[0-9]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Repetition();
}
