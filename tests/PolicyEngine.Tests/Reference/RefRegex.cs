using System.Text;
using System.Text.RegularExpressions;

namespace PolicyEngine.Tests.Reference;

/// <summary>
/// Spec §3 rule 5 for the reference: a pattern whose every end anchor <c>$</c> outside <c>(?m)</c> is written
/// <c>\z</c>. A recursive descent over groups (each group's options are its own locals, so an inline
/// <c>(?m)</c> lasts to the group's end), copying the text and changing only those anchors.
/// </summary>
internal static partial class RefRegex
{
    public static bool IsMatch(string value, string pattern, bool ignoreCase) =>
        Regex.IsMatch(value, EndAnchorsAsZ(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

    public static string EndAnchorsAsZ(string pattern)
    {
        var walk = new Walk(pattern);
        walk.Sequence(multiline: false, extended: false);
        while (walk.Pos < pattern.Length)
        {
            // A stray ')' (the constructor rejects the pattern): copy it and go on at the top level.
            walk.Copy(1);
            walk.Sequence(multiline: false, extended: false);
        }

        return walk.Text.ToString();
    }

    [GeneratedRegex(@"\G\(\?([imnsxIMNSX+-]*)([:)])")]
    private static partial Regex OptionGroup();

    private sealed class Walk(string p)
    {
        public int Pos;
        public readonly StringBuilder Text = new();

        public void Copy(int n)
        {
            n = Math.Min(n, p.Length - Pos);
            Text.Append(p, Pos, n);
            Pos += n;
        }

        /// <summary>One group's contents up to its ')' (left for the caller) or the end.</summary>
        public void Sequence(bool multiline, bool extended)
        {
            while (Pos < p.Length)
            {
                char c = p[Pos];
                if (extended && c is ' ' or '\t' or '\n' or '\f' or '\r') Copy(1);
                else if (extended && c == '#') Copy(p.IndexOf('\n', Pos) is var nl and >= 0 ? nl - Pos : p.Length - Pos);
                else if (string.CompareOrdinal(p, Pos, "(?#", 0, 3) == 0) Copy(p.IndexOf(')', Pos) is var close and >= 0 ? close - Pos + 1 : p.Length - Pos);
                else if (c == ')') return;
                else if (c == '\\') Copy(Pos + 1 < p.Length && p[Pos + 1] == 'c' ? 3 : 2); // \cX takes one more: X may be '\\'
                else if (c == '[') Class();
                else if (c == '$')
                {
                    Text.Append(multiline ? "$" : @"\z");
                    Pos++;
                }
                else if (c == '(') Group(ref multiline, ref extended);
                else Copy(1);
            }
        }

        private void Group(ref bool multiline, ref bool extended)
        {
            var m = OptionGroup().Match(p, Pos);
            bool innerM = multiline, innerX = extended;
            if (m.Success && !(m.Groups[1].Length == 0 && m.Groups[2].Value == ")"))
            {
                var on = true;
                foreach (char f in m.Groups[1].Value.ToLowerInvariant())
                {
                    if (f is '-' or '+') on = f == '+';
                    else if (f == 'm') innerM = on;
                    else if (f == 'x') innerX = on;
                }

                Copy(m.Length);
                if (m.Groups[2].Value == ")")
                {
                    (multiline, extended) = (innerM, innerX); // to the end of the enclosing group
                    return;
                }
            }
            else
            {
                Copy(1); // '(' of any other group; what follows it ("?:", "?<name>") is ordinary text here
            }

            Sequence(innerM, innerX);
            Copy(1); // its ')'
        }

        /// <summary>A class from its '[' through its ']', nested subtractions included.</summary>
        private void Class()
        {
            Copy(1);
            if (Pos < p.Length && p[Pos] == '^') Copy(1);
            var rangeOpen = false;
            for (var first = true; Pos < p.Length; first = false)
            {
                if (p[Pos] == ']' && !first)
                {
                    Copy(1);
                    return;
                }

                var plainChar = p[Pos] != '\\';
                var atom = p[Pos];
                var rangeable = true;
                if (!plainChar)
                {
                    var e = Pos + 1 < p.Length ? p[Pos + 1] : '\0';
                    rangeable = "dDsSwWpP-".IndexOf(e) < 0;
                    Copy(EscapeLength(e));
                }
                else
                {
                    Copy(1);
                }

                if (!rangeable)
                {
                    rangeOpen = false;
                    continue;
                }

                if (rangeOpen)
                {
                    rangeOpen = false;
                    if (plainChar && atom == '[') SubtractionBody();
                }
                else if (Pos + 1 < p.Length && p[Pos] == '-' && p[Pos + 1] != ']')
                {
                    Copy(1);
                    rangeOpen = true;
                }
                else if (plainChar && atom == '-' && !first && Pos < p.Length && p[Pos] == '[')
                {
                    Class();
                }
            }
        }

        // The '[' of a subtraction is copied already: step back so Class() reads it.
        private void SubtractionBody()
        {
            Text.Length--;
            Pos--;
            Class();
        }

        private int EscapeLength(char e)
        {
            if (e is 'p' or 'P') return p.IndexOf('}', Pos) is var close and >= 0 ? close - Pos + 1 : p.Length - Pos;
            if (e is 'x') return Pos + 4 <= p.Length ? 4 : 2;
            if (e is 'u') return Pos + 6 <= p.Length ? 6 : 2;
            if (e is 'c') return 3;
            if (e is >= '0' and <= '7')
            {
                var n = 2;
                while (n < 4 && Pos + n < p.Length && p[Pos + n] is >= '0' and <= '7') n++;
                return n;
            }

            return 2;
        }
    }
}
