using System.Text;

namespace PolicyEngine.Compilation;

/// <summary>
/// docs/policy-language.md#conditions rule 5: outside <c>(?m)</c>, <c>$</c> matches only at the very end of the value. .NET's <c>$</c> also
/// matches before a final newline, so <c>^acct-[0-9]+$</c> would let <c>"acct-1\n"</c> through. The pattern is
/// rewritten before it is compiled: every <c>$</c> that .NET reads as an end anchor while multiline is off
/// becomes <c>\z</c>. Lookarounds are not available in NonBacktracking mode, so the rewrite must be exact:
/// the scan follows .NET's own reading of a pattern (escapes, character classes with nested subtractions,
/// <c>(?#…)</c> comments, <c>#</c> comments and white space under <c>x</c>, and inline options, which last to
/// the end of the enclosing group, across <c>|</c>).
/// </summary>
internal static class EndAnchor
{
    /// <summary>The pattern with each end anchor outside multiline made <c>\z</c>; the same string when there is none.</summary>
    public static string Rewrite(string pattern)
    {
        if (!pattern.Contains('$', StringComparison.Ordinal))
        {
            return pattern;
        }

        var scan = new Scanner(pattern);
        scan.Run();
        return scan.Result;
    }

    private ref struct Scanner(string pattern)
    {
        private readonly string _p = pattern;
        private int _pos;
        private bool _multiline, _extended;
        private ulong _stack; // the options of the enclosing groups: two bits per group, deeper groups shifted out
        private Stack<(bool, bool)>? _deep;
        private int _depth;
        private StringBuilder? _out;
        private int _copied;

        public readonly string Result => _out is null ? _p : _out.Append(_p, _copied, _p.Length - _copied).ToString();

        public void Run()
        {
            while (SkipBlank() < _p.Length)
            {
                char c = _p[_pos++];
                switch (c)
                {
                    case '\\':
                        SkipEscape();
                        break;
                    case '[':
                        SkipClass();
                        break;
                    case '(':
                        OpenGroup();
                        break;
                    case ')':
                        CloseGroup();
                        break;
                    case '$' when !_multiline:
                        Replace(_pos - 1);
                        break;
                }
            }
        }

        /// <summary>Skips what .NET skips between tokens: <c>(?#…)</c>, and under <c>x</c> white space and <c>#</c> to the line's end.</summary>
        private int SkipBlank()
        {
            while (_pos < _p.Length)
            {
                char c = _p[_pos];
                if (_extended && c is ' ' or '\t' or '\n' or '\f' or '\r')
                {
                    _pos++;
                }
                else if (_extended && c == '#')
                {
                    int end = _p.IndexOf('\n', _pos);
                    _pos = end < 0 ? _p.Length : end;
                }
                else if (c == '(' && _pos + 2 < _p.Length && _p[_pos + 1] == '?' && _p[_pos + 2] == '#')
                {
                    int end = _p.IndexOf(')', _pos);
                    _pos = end < 0 ? _p.Length : end + 1;
                }
                else
                {
                    break;
                }
            }

            return _pos;
        }

        /// <summary>After a backslash outside a class: the escaped character; <c>\cX</c> takes one more (it may be <c>\</c> or <c>$</c>).</summary>
        private void SkipEscape()
        {
            if (_pos < _p.Length && _p[_pos++] == 'c' && _pos < _p.Length)
            {
                _pos++;
            }
        }

        /// <summary>A character class from after its <c>[</c> to after its <c>]</c>, as .NET's class scanner reads it.</summary>
        private void SkipClass()
        {
            if (_pos < _p.Length && _p[_pos] == '^')
            {
                _pos++;
            }

            bool inRange = false;
            for (bool first = true; _pos < _p.Length; first = false)
            {
                char c = _p[_pos++];
                bool escaped = false;
                if (c == ']' && !first)
                {
                    return;
                }

                if (c == '\\' && _pos < _p.Length)
                {
                    char e = _p[_pos++];
                    if (e is 'd' or 'D' or 's' or 'S' or 'w' or 'W' or '-')
                    {
                        inRange = false; // \- ends a range (a shorthand class there is an error)
                        continue;
                    }

                    if (e is 'p' or 'P')
                    {
                        SkipProperty();
                        continue;
                    }

                    SkipCharEscape(e);
                    escaped = true;
                }

                if (inRange)
                {
                    inRange = false;
                    if (c == '[' && !escaped && !first)
                    {
                        SkipClass(); // a subtraction: [a-z-[aeiou]]
                    }
                }
                else if (_pos + 1 < _p.Length && _p[_pos] == '-' && _p[_pos + 1] != ']')
                {
                    inRange = true;
                    _pos++;
                }
                else if (_pos < _p.Length && c == '-' && !escaped && _p[_pos] == '[' && !first)
                {
                    _pos++;
                    SkipClass();
                }
            }
        }

        /// <summary>The rest of an escape inside a class after its first character: octal digits, hex digits, a control character.</summary>
        private void SkipCharEscape(char e)
        {
            int more = e switch
            {
                >= '0' and <= '7' => 2, // up to three octal digits in all
                'x' => 2,
                'u' => 4,
                'c' => 1,
                _ => 0,
            };
            if (e is >= '0' and <= '7')
            {
                while (more-- > 0 && _pos < _p.Length && _p[_pos] is >= '0' and <= '7')
                {
                    _pos++;
                }
            }
            else if (e == 'c' || _pos + more <= _p.Length)
            {
                _pos = Math.Min(_p.Length, _pos + more);
            }
        }

        /// <summary><c>{Name}</c> of <c>\p{Name}</c>: word characters and <c>-</c>, then <c>}</c>.</summary>
        private void SkipProperty()
        {
            if (_pos < _p.Length && _p[_pos] == '{')
            {
                int end = _p.IndexOf('}', _pos);
                _pos = end < 0 ? _p.Length : end + 1;
            }
        }

        private void OpenGroup()
        {
            if (_pos + 1 < _p.Length && _p[_pos] == '?' && _p[_pos + 1] != ')' && _p[_pos + 1] is not (':' or '=' or '!' or '>' or '<' or '\'' or '('))
            {
                // (?imnsx-imnsx) changes the options to the end of the enclosing group; (?imnsx-imnsx:…) inside it.
                var (multiline, extended) = (_multiline, _extended);
                bool off = false;
                int i = _pos + 1;
                for (; i < _p.Length; i++)
                {
                    char c = _p[i];
                    if (c is '-' or '+')
                    {
                        off = c == '-';
                        continue;
                    }

                    switch ((char)(c | 0x20))
                    {
                        case 'm': multiline = !off; continue;
                        case 'x': extended = !off; continue;
                        case 'i' or 'n' or 's': continue;
                    }

                    break;
                }

                if (i < _p.Length && _p[i] == ')')
                {
                    (_multiline, _extended) = (multiline, extended);
                    _pos = i + 1;
                    return;
                }

                Push();
                (_multiline, _extended) = (multiline, extended);
                _pos = Math.Min(_p.Length, i + 1);
                return;
            }

            Push();
        }

        private void Push()
        {
            if (_depth >= 32)
            {
                (_deep ??= new()).Push((_multiline, _extended));
            }
            else
            {
                _stack = (_stack << 2) | (_multiline ? 1UL : 0) | (_extended ? 2UL : 0);
            }

            _depth++;
        }

        private void CloseGroup()
        {
            if (_depth == 0)
            {
                return; // unbalanced: the regex constructor rejects the pattern
            }

            _depth--;
            if (_depth >= 32)
            {
                (_multiline, _extended) = _deep!.Pop();
            }
            else
            {
                (_multiline, _extended) = ((_stack & 1) != 0, (_stack & 2) != 0);
                _stack >>= 2;
            }
        }

        private void Replace(int at)
        {
            (_out ??= new StringBuilder(_p.Length + 8)).Append(_p, _copied, at - _copied).Append(@"\z");
            _copied = at + 1;
        }
    }
}
