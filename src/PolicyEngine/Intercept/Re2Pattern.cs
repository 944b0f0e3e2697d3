using System.Text;
using PolicyEngine.Document;

namespace PolicyEngine.Intercept;

/// <summary>
/// Translates an RE2 (Go) pattern into a .NET pattern that matches exactly the same strings, or says why it
/// cannot. RE2 counts code points and its classes are ASCII; .NET counts UTF-16 units and its \d, \w, \s are
/// Unicode, so those are rewritten, and what has no exact rewrite here (flags, \b, \p, Unicode outside the
/// basic plane, octal escapes) is refused rather than guessed: a condition that matches more would allow more.
/// </summary>
internal static class Re2Pattern
{
    // One code point, as RE2's '.' and negated classes see it: a surrogate pair, or one other unit.
    private const string Pair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ",
        ["cntrl"] = @"\x00-\x1F\x7F", ["digit"] = "0-9", ["graph"] = @"!-~", ["lower"] = "a-z",
        ["print"] = @" -~", ["punct"] = @"!-/:-@\[-`{-~", ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>The .NET pattern, or null with <paramref name="error"/> saying what RE2 construct has no exact translation.</summary>
    public static string? Translate(string re2, out string error)
    {
        error = "";
        var o = new StringBuilder(re2.Length * 2);
        for (int i = 0; i < re2.Length; i++)
        {
            char c = re2[i];
            if (char.IsSurrogate(c))
            {
                return Fail(out error, ValidationMessages.Re2AstralCharacters);
            }

            switch (c)
            {
                case '.':
                    o.Append("(?:").Append(Pair).Append(@"|[^\n\uD800-\uDFFF])");
                    break;
                case '(':
                    if (i + 1 < re2.Length && re2[i + 1] == '?')
                    {
                        if (i + 2 < re2.Length && re2[i + 2] == ':')
                        {
                            o.Append("(?:");
                            i += 2;
                        }
                        else if (re2.AsSpan(i).StartsWith("(?P<") || (re2.AsSpan(i).StartsWith("(?<") && i + 3 < re2.Length && char.IsAsciiLetter(re2[i + 3])))
                        {
                            int name = re2.IndexOf('<', i) + 1;
                            o.Append("(?<");
                            i = name - 1;
                        }
                        else
                        {
                            return Fail(out error, ValidationMessages.Re2Groups);
                        }
                    }
                    else
                    {
                        o.Append(c);
                    }

                    break;
                case '[':
                    if (Class(re2, ref i, o, out error) is false)
                    {
                        return null;
                    }

                    break;
                case '\\':
                    if (Escape(re2, ref i, o, inClass: false, out error) is false)
                    {
                        return null;
                    }

                    break;
                default:
                    o.Append(c);
                    break;
            }
        }

        return o.ToString();
    }

    private static bool Class(string re2, ref int i, StringBuilder o, out string error)
    {
        error = "";
        i++;
        bool negated = i < re2.Length && re2[i] == '^';
        if (negated)
        {
            i++;
        }

        var members = new StringBuilder();
        bool first = true;
        for (; i < re2.Length; i++, first = false)
        {
            char c = re2[i];
            if (c == ']' && !first)
            {
                // RE2's negated class matches a whole code point; .NET's would match half of a surrogate pair.
                o.Append(negated ? "(?:" + Pair + "|[^" + members + @"\uD800-\uDFFF])" : "[" + members + "]");
                return true;
            }

            if (char.IsSurrogate(c))
            {
                return Fail(out error, ValidationMessages.Re2AstralCharacters) is not null;
            }

            if (c == '[' && i + 1 < re2.Length && re2[i + 1] == ':')
            {
                int end = re2.IndexOf(":]", i + 2, StringComparison.Ordinal);
                string name = end < 0 ? "" : re2[(i + 2)..end];
                if (!Posix.TryGetValue(name, out var members2))
                {
                    return Fail(out error, ValidationMessages.Re2PosixClass(re2[i..(end < 0 ? re2.Length : end + 2)])) is not null;
                }

                members.Append(members2);
                i = end + 1;
            }
            else if (c == '\\')
            {
                if (!Escape(re2, ref i, members, inClass: true, out error))
                {
                    return false;
                }
            }
            else
            {
                // A literal '[' or ']' is escaped: in .NET "-[" would start a class subtraction.
                members.Append(c is '[' or ']' ? "\\" + c : c.ToString());
            }
        }

        return Fail(out error, ValidationMessages.Re2UnclosedClass) is not null;
    }

    private static bool Escape(string re2, ref int i, StringBuilder o, bool inClass, out string error)
    {
        error = "";
        if (++i >= re2.Length)
        {
            return Fail(out error, ValidationMessages.Re2TrailingBackslash) is not null;
        }

        char c = re2[i];
        string? text = c switch
        {
            'd' => inClass ? "0-9" : "[0-9]",
            'w' => inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]",
            's' => inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]",
            'D' when !inClass => "(?:" + Pair + @"|[^0-9\uD800-\uDFFF])",
            'W' when !inClass => "(?:" + Pair + @"|[^0-9A-Za-z_\uD800-\uDFFF])",
            'S' when !inClass => "(?:" + Pair + @"|[^\t\n\f\r \uD800-\uDFFF])",
            'A' or 'z' when !inClass => "\\" + c,
            'a' or 'f' or 't' or 'n' or 'r' or 'v' => "\\" + c,
            'x' => Hex(re2, ref i),
            _ when !char.IsAsciiLetterOrDigit(c) && !char.IsSurrogate(c) => "\\" + c,
            _ => null,
        };
        if (text is null)
        {
            return Fail(out error, ValidationMessages.Re2Escape(c)) is not null;
        }

        o.Append(text);
        return true;
    }

    // \x41 is the same in both; \x{41} is RE2's only, and becomes \u0041 when the code point is in the basic plane.
    private static string? Hex(string re2, ref int i)
    {
        if (i + 1 < re2.Length && re2[i + 1] == '{')
        {
            int end = re2.IndexOf('}', i);
            if (end < 0 || !int.TryParse(re2.AsSpan(i + 2, end - i - 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int cp) || cp > 0xFFFF || cp is >= 0xD800 and <= 0xDFFF)
            {
                return null;
            }

            i = end;
            return "\\u" + cp.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (i + 2 < re2.Length && char.IsAsciiHexDigit(re2[i + 1]) && char.IsAsciiHexDigit(re2[i + 2]))
        {
            i += 2;
            return "\\x" + re2[(i - 1)..(i + 1)];
        }

        return null;
    }

    private static string? Fail(out string error, string why)
    {
        error = why;
        return null;
    }
}
