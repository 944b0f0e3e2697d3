using System.Collections.Frozen;
using System.Text.Json;
using PolicyEngine.Json;
using PolicyEngine.Arguments;

namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>
/// The literals of <c>eq</c>, <c>in</c> or <c>contains</c>, hashed once, with the equality of docs/policy-language.md#conditions
/// rule 3: numbers exactly, booleans against "true"/"false", strings ordinally, null only with null;
/// any other mix of types is indeterminate.
/// </summary>
internal sealed class LiteralSet
{
    private readonly StringSet _strings;
    private readonly NumberSet _numbersForNumbers; // number literals and numeric-string literals
    private readonly NumberSet _numberLiterals;    // number literals only (a numeric string value compares to these)
    private readonly bool _hasTrue, _hasFalse, _hasNull, _hasNonNull;
    private readonly bool _hasTrueText, _hasFalseText; // the exact strings "true" / "false", whatever ignore_case says
    private readonly byte[][]? _utf8Strings; // small ordinal sets: compared in place, as UTF-8
    private readonly bool _onlyStrings;
    private const int LinearLimit = 8;
    private readonly bool _hasNonNumericString, _hasNonBooleanString, _hasNumberLiteral;
    private readonly bool _hasNumericLiteral;

    public LiteralSet(IReadOnlyList<Literal> literals, bool ignoreCase)
    {
        var strings = new List<string>();
        var numbersForNumbers = new List<decimal>();
        var numberLiterals = new List<decimal>();
        foreach (var l in literals)
        {
            switch (l.Kind)
            {
                case JsonValueKind.String:
                    strings.Add(l.Text!);
                    _hasNonBooleanString |= l.Text is not ("true" or "false");
                    _hasTrueText |= l.Text == "true";
                    _hasFalseText |= l.Text == "false";
                    if (l.IsNumericText)
                    {
                        numbersForNumbers.Add(l.Number);
                    }
                    else
                    {
                        _hasNonNumericString = true;
                    }

                    break;
                case JsonValueKind.Number:
                    numbersForNumbers.Add(l.Number);
                    numberLiterals.Add(l.Number);
                    _hasNumberLiteral = true;
                    break;
                case JsonValueKind.True:
                    _hasTrue = true;
                    break;
                case JsonValueKind.False:
                    _hasFalse = true;
                    break;
                default:
                    _hasNull = true;
                    break;
            }

            _hasNonNull |= l.Kind != JsonValueKind.Null;
        }

        _strings = new StringSet(strings, ignoreCase);
        _utf8Strings = !ignoreCase && strings.Count <= LinearLimit ? [.. strings.Select(System.Text.Encoding.UTF8.GetBytes)] : null;
        _onlyStrings = !_hasNumberLiteral && !_hasTrue && !_hasFalse;
        _numbersForNumbers = new NumberSet(numbersForNumbers);
        _numberLiterals = new NumberSet(numberLiterals);
        _hasNumericLiteral = numbersForNumbers.Count > 0;
    }

    /// <summary>Few literals are scanned (cheaper to build and to probe than a hash set); many are hashed once.</summary>
    private const int HashAbove = LinearLimit;

    /// <summary>Whether <paramref name="value"/> equals some literal; indeterminate per rule 3's type mixes.</summary>
    public Tri Matches(in ArgValue value)
    {
        switch (value.Kind)
        {
            case JsonValueKind.Undefined:
                return Tri.False;
            case JsonValueKind.Null:
                return TriLogic.From(_hasNull);
            case JsonValueKind.True:
            case JsonValueKind.False:
                return MatchBoolean(value.Kind == JsonValueKind.True);
            case JsonValueKind.Number:
                return MatchNumber(in value);
            case JsonValueKind.String:
                return MatchString(in value);
            default:
                // An object or array is never equal to a scalar: indeterminate, except against null alone.
                return _hasNonNull ? Tri.Indeterminate : Tri.False;
        }
    }

    private Tri MatchBoolean(bool b)
    {
        if (b ? _hasTrue || _hasTrueText : _hasFalse || _hasFalseText)
        {
            return Tri.True;
        }

        return _hasNumberLiteral || _hasNonBooleanString ? Tri.Indeterminate : Tri.False;
    }

    private Tri MatchNumber(in ArgValue value)
    {
        var status = value.GetNumber(out decimal d);
        if (status == NumberStatus.Exact && _numbersForNumbers.Contains(d))
        {
            return Tri.True;
        }

        bool indeterminate = _hasNonNumericString || _hasTrue || _hasFalse
            || (status != NumberStatus.Exact && _hasNumericLiteral);
        return indeterminate ? Tri.Indeterminate : Tri.False;
    }

    private Tri MatchString(in ArgValue value)
    {
        if (_utf8Strings is not null && value.TryGetUtf8(out var utf8))
        {
            foreach (var literal in _utf8Strings)
            {
                if (utf8.SequenceEqual(literal))
                {
                    return Tri.True;
                }
            }

            if (_onlyStrings)
            {
                return Tri.False; // no number or boolean literal that a string could still equal
            }
        }

        return MatchChars(in value);
    }

    // Out of line: the UTF-8 fast path above stays small, without this path's stack buffer and try/finally.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Tri MatchChars(in ArgValue value)
    {
        using var lease = new ArgChars(in value, stackalloc char[ArgChars.StackLength]);
        var chars = lease.Chars;
        if (_strings.Contains(chars))
        {
            return Tri.True;
        }

        bool indeterminate = false;
        if (_hasNumberLiteral)
        {
            var status = ExactNumber.Parse(chars, out decimal d);
            if (status == NumberStatus.Exact && _numberLiterals.Contains(d))
            {
                return Tri.True;
            }

            indeterminate = status != NumberStatus.Exact; // a number against text that is not one, or not exactly one
        }

        if (_hasTrue || _hasFalse)
        {
            if (chars.SequenceEqual("true") || chars.SequenceEqual("false"))
            {
                bool b = chars[0] == 't';
                if ((b && _hasTrue) || (!b && _hasFalse))
                {
                    return Tri.True;
                }
            }
            else
            {
                indeterminate = true;
            }
        }

        return indeterminate ? Tri.Indeterminate : Tri.False;
    }

    private sealed class StringSet
    {
        private readonly string[] _linear;
        private readonly StringComparison _comparison;
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>? _lookup;

        public StringSet(List<string> strings, bool ignoreCase)
        {
            _comparison = TextMeaning.Comparison(ignoreCase);
            // At exactly HashAbove, building the lookup as well (a mutant's >=) answers the same: it is asked first and
            // holds the same strings under the same comparer.
            _linear = strings.Count <= HashAbove ? [.. strings] : [];
            _lookup = strings.Count > HashAbove
                ? strings.ToFrozenSet(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()
                : null;
        }

        public bool Contains(ReadOnlySpan<char> value)
        {
            if (_lookup is { } lookup)
            {
                return lookup.Contains(value);
            }

            foreach (var s in _linear)
            {
                if (TextMeaning.Equal(value, s, _comparison))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class NumberSet
    {
        private readonly decimal[] _linear;
        private readonly HashSet<decimal>? _hashed;

        public NumberSet(List<decimal> numbers)
        {
            _linear = numbers.Count <= HashAbove ? [.. numbers] : [];
            _hashed = numbers.Count > HashAbove ? [.. numbers] : null; // as for strings: both at exactly HashAbove would agree
        }

        public bool Contains(decimal value) => _hashed?.Contains(value) ?? Array.IndexOf(_linear, value) >= 0;
    }
}
