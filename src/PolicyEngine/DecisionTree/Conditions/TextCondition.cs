using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>
/// <c>starts_with</c>, <c>ends_with</c>, <c>regex</c>, and <c>contains</c> (substring on strings, element
/// equality on arrays). Non-string values are indeterminate (rules 5, 6).
/// </summary>
internal sealed class TextCondition : Condition
{
    private readonly ValuePath _path;
    private readonly TextOp _op;
    private readonly string? _text;
    private readonly StringComparison _comparison;
    private readonly Regex? _regex;
    private readonly LiteralSet? _element;
    private readonly byte[]? _utf8; // the literal as UTF-8, for ordinal tests done in place
    private readonly byte[][]? _words; // a regex that is only plain words: searched for in place

    public TextCondition(ValuePath path, TextOp op, string? text, bool ignoreCase, Regex? regex, LiteralSet? element)
    {
        _path = path;
        _op = op;
        _text = text;
        _comparison = TextMeaning.Comparison(ignoreCase);
        _regex = regex;
        _element = element;
        // Stryker disable once Conditional : equivalent. Both are shortcuts: without the bytes, an ordinal test runs on the
        // decoded text (a policy's literals are valid Unicode, so a byte match is a char match), and without the words
        // the regex itself runs (RegexLiterals matches exactly what it would); the answers are the same.
        _utf8 = text is not null && !ignoreCase ? System.Text.Encoding.UTF8.GetBytes(text) : null;
        // Stryker disable once Conditional : equivalent, as above.
        _words = regex is null ? null : RegexLiterals.TryGetWords(regex);
    }

    public override Tri Evaluate(in EvalContext ctx)
    {
        var value = _path.Resolve(in ctx);
        switch (value.Kind)
        {
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                return Tri.False;
            case JsonValueKind.String:
                return _text is null && _regex is null ? Tri.Indeterminate : MatchText(in value);
            case JsonValueKind.Array when _op == TextOp.Contains:
                return ContainsElement(value.Element);
            default:
                return Tri.Indeterminate;
        }
    }

    /// <summary>The fast paths first (in place on UTF-8); each answers as <see cref="TextMeaning"/> on the UTF-16 text would.</summary>
    private Tri MatchText(in ArgValue value)
    {
        if (_words is not null && value.TryGetUtf8(out var text))
        {
            return TriLogic.From(RegexLiterals.IsMatch(text, _words));
        }

        if (_utf8 is not null && value.TryGetUtf8(out var bytes))
        {
            return TriLogic.From(_op switch
            {
                TextOp.StartsWith => bytes.StartsWith(_utf8),
                TextOp.EndsWith => bytes.EndsWith(_utf8),
                _ => bytes.IndexOf(_utf8) >= 0,
            });
        }

        return MatchChars(in value);
    }

    // Out of line: the UTF-8 fast path above stays small, without this path's stack buffer and try/finally.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Tri MatchChars(in ArgValue value)
    {
        using var lease = new ArgChars(in value, stackalloc char[ArgChars.StackLength]);
        var chars = lease.Chars;
        return TriLogic.From(_op switch
        {
            TextOp.StartsWith => TextMeaning.StartsWith(chars, _text!, _comparison),
            TextOp.EndsWith => TextMeaning.EndsWith(chars, _text!, _comparison),
            TextOp.Contains => TextMeaning.Contains(chars, _text!, _comparison),
            _ => _regex!.IsMatch(chars),
        });
    }

    private Tri ContainsElement(JsonElement array)
    {
        var result = Tri.False;
        foreach (var item in array.EnumerateArray())
        {
            var r = _element!.Matches(ArgValue.FromJson(item));
            if (r == Tri.True)
            {
                return Tri.True;
            }

            if (r == Tri.Indeterminate)
            {
                result = Tri.Indeterminate;
            }
        }

        return result;
    }
}
