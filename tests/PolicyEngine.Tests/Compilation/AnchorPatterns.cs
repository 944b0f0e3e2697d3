using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace PolicyEngine.Tests.Compilation;

/// <summary>The options in force at a point of a pattern.</summary>
public readonly record struct PatternFlags(bool M, bool X, bool I, bool S);

/// <summary>
/// A pattern as written (for the engine) and an oracle pattern of the same meaning for the backtracking engine,
/// built from the grammar, not by reading the pattern: the generator knows which '$' it wrote as an anchor and
/// under which options, so the oracle spells every construct out (<c>$</c> outside multiline as "no character
/// follows", <c>(?![\s\S])</c>; literals as <c>\uXXXX</c>; classes as their member sets).
/// </summary>
/// <remarks><see cref="Sample"/> is a text the pattern is likely to match (a member of each class, one turn of each
/// loop, alternatives run together), so that inputs reach the anchors.</remarks>
public sealed record AnchorPattern(string Pattern, string Oracle, PatternFlags After, string Sample = "")
{
    /// <inheritdoc />
    public override string ToString() => $"pattern {Quote(Pattern)} oracle {Quote(Oracle)}";

    private static string Quote(string s) => "\"" + s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}

/// <summary>Generators of .NET patterns rich in the syntax that hides a '$' or changes what it means.</summary>
public static class AnchorPatterns
{
    private const string AnyChar = @"[\s\S]";

    /// <summary>The characters of the test inputs; every literal the patterns use is among them.</summary>
    public static readonly char[] InputAlphabet = ['a', 'A', 'b', 'B', '$', ' ', '#', ']', '[', '\n', '!', '-', '^', '(', ')', '\u001c', '\u001d'];

    /// <summary>A whole pattern, with <paramref name="ignoreCase"/> as the options it is compiled with.</summary>
    public static Gen<AnchorPattern> Pattern(bool ignoreCase) =>
        from n in Gen.Choose(1, 5)
        from extended in Gen.Elements(false, false, true)
        from body in Sequence(new PatternFlags(false, extended, ignoreCase, false), 3, n)
        from end in Gen.Elements(false, true, true)
        from anchor in Gen.Frequency((3, Anchor(body.After).Where(a => a.Pattern == "$")), (1, Anchor(body.After)))
        let whole = end ? body with { Pattern = body.Pattern + anchor.Pattern, Oracle = body.Oracle + anchor.Oracle } : body
        select extended ? whole with { Pattern = "(?x)" + whole.Pattern } : whole;

    /// <summary>Inputs short enough to be matched whole, mostly of the characters the patterns use most.</summary>
    public static Gen<string> Input() =>
        Gen.Frequency(
            (6, Gen.Constant('a')), (2, Gen.Constant('A')), (3, Gen.Constant('b')), (2, Gen.Constant('$')), (3, Gen.Constant('\n')),
            (3, Gen.Elements(InputAlphabet)))
        .ArrayOf().Where(a => a.Length <= 4).Select(a => new string(a));

    private static Gen<AnchorPattern> Sequence(PatternFlags flags, int depth, int count) =>
        count == 0
            ? Gen.Constant(new AnchorPattern("", "", flags))
            : from item in Item(flags, depth)
              from rest in Sequence(item.After, depth, count - 1)
              select new AnchorPattern(item.Pattern + rest.Pattern, item.Oracle + rest.Oracle, rest.After, item.Sample + rest.Sample);

    private static Gen<AnchorPattern> Item(PatternFlags f, int depth)
    {
        var items = new List<(int, Gen<AnchorPattern>)>
        {
            (6, Quantified(f, depth)),
            (3, Anchor(f)),
            (1, Gen.Constant(new AnchorPattern("|", "|", f))),
            (1, InlineOptions(f)),
            (1, Comment(f)),
        };
        if (f.X) items.Add((3, Blank(f)));
        return Gen.Frequency(items.ToArray());
    }

    private static Gen<AnchorPattern> Quantified(PatternFlags f, int depth) =>
        from atom in Atom(f, depth)
        from q in Gen.Elements("", "", "", "*", "+", "?", "{0,2}")
        select q.Length == 0 ? atom : atom with { Pattern = atom.Pattern + q, Oracle = "(?:" + atom.Oracle + ")" + q };

    private static Gen<AnchorPattern> Atom(PatternFlags f, int depth)
    {
        var atoms = new List<(int, Gen<AnchorPattern>)> { (5, Literal(f)), (1, Gen.Constant(new AnchorPattern(".", f.S ? AnyChar : @"[^\n]", f, "a"))), (3, Class(f)) };
        if (depth > 0)
        {
            atoms.Add((2, Group(f, depth - 1)));
            atoms.Add((2, ScopedGroup(f, depth - 1)));
        }

        return Gen.Frequency(atoms.ToArray());
    }

    private static Gen<AnchorPattern> Anchor(PatternFlags f) => Gen.Elements(
        new AnchorPattern("$", f.M ? $@"(?=\n|(?!{AnyChar}))" : $"(?!{AnyChar})", f),
        new AnchorPattern("^", f.M ? $@"(?:(?<!{AnyChar})|(?<=\n))" : $"(?<!{AnyChar})", f),
        new AnchorPattern(@"\Z", $@"(?=\n?(?!{AnyChar}))", f),
        new AnchorPattern(@"\z", $"(?!{AnyChar})", f));

    private static Gen<AnchorPattern> Literal(PatternFlags f) =>
        from c in Gen.Elements('a', 'b', 'A', '!', '-', ']', '$', ' ', '#', '\n', '[', '(', ')', '^', '\u001c')
        from spelling in Gen.Elements(Spellings(c, f.X))
        select new AnchorPattern(spelling, OracleSet(f.I ? CaseClosure([c]) : [c], negated: false), f, c.ToString());

    /// <summary>Ways to write a literal character outside a class, safe under the current x option.</summary>
    private static string[] Spellings(char c, bool x) => c switch
    {
        '$' => [@"\$", @"\x24", @"\u0024", @"\044", "[$]", @"[\$]"],
        ' ' => x ? [@"\ ", "[ ]", @"\x20"] : [" ", @"\x20", "[ ]"],
        '#' => x ? [@"\#", "[#]"] : ["#", @"\#"],
        '\n' => x ? [@"\n", @"[\n]", @"\x0A"] : ["\n", @"\n"],
        '[' => [@"\[", "[[]"],
        '(' or ')' or '^' => ["\\" + c],
        '\u001c' => [@"\c\", @"\x1C"], // \c\ is one character: a '$' after it is not escaped
        _ => [c.ToString()],
    };

    /// <summary>A class, possibly negated, with ranges, escapes, a leading ']' and a subtraction.</summary>
    private static Gen<AnchorPattern> Class(PatternFlags f) =>
        from negated in Gen.Elements(false, false, true)
        from leadingBracket in Gen.Elements(false, false, true)
        from items in Gen.Elements(ClassItems).ArrayOf().Where(a => a.Length is >= 1 and <= 3)
        from subtract in Gen.Elements(ClassItems).ArrayOf().Where(a => a.Length <= 2)
        from subtractBracket in Gen.Elements(false, true)
        select BuildClass(f, negated, leadingBracket, items, subtractBracket && subtract.Length > 0 ? [("]", "]"), .. subtract] : subtract);

    /// <summary>Class items as written, each with the characters it stands for.</summary>
    private static readonly (string Text, string Members)[] ClassItems =
    [
        ("a", "a"), ("b", "b"), ("$", "$"), (@"\$", "$"), (@"\x24", "$"), ("#", "#"), (" ", " "), (@"\]", "]"), (@"\[", "["),
        (@"\-", "-"), ("^", "^"), ("!", "!"), (@"\n", "\n"), ("\n", "\n"), ("a-b", "ab"), ("!-$", "!\"#$"), (@"\c]", "\u001d"), ("(", "("), (")", ")"),
        ("[", "["), (@"!-\-", "!\"#$%&'()*+,-"), // a range may end in an escaped '-'; a '[' after it is a character
    ];

    private static AnchorPattern BuildClass(PatternFlags f, bool negated, bool leadingBracket, (string Text, string Members)[] items, (string Text, string Members)[] subtract)
    {
        var text = new StringBuilder("[");
        var members = new HashSet<char>();
        if (negated) text.Append('^');
        if (leadingBracket)
        {
            text.Append(']'); // literal when first
            members.Add(']');
        }

        foreach (var (i, item) in items.Index())
        {
            // '^' right after '[' would negate: it is only written elsewhere.
            var written = item.Text == "^" && i == 0 && !leadingBracket ? @"\^" : item.Text;
            text.Append(written);
            members.UnionWith(item.Members);
        }

        if (f.I) members = CaseClosure(members);
        if (subtract.Length > 0)
        {
            text.Append("-[");
            var removed = new HashSet<char>();
            foreach (var (i, item) in subtract.Index())
            {
                text.Append(i == 0 && item.Text == "^" ? @"\^" : item.Text); // a first ']' is literal here too
                removed.UnionWith(item.Members);
            }

            text.Append(']');

            // .NET subtracts from the class as negated: [^ab-[c]] is "neither a nor b, and not c".
            if (negated) members.UnionWith(f.I ? CaseClosure(removed) : removed);
            else members.ExceptWith(f.I ? CaseClosure(removed) : removed);
        }

        text.Append(']');
        var sample = negated ? AnchorPatterns.InputAlphabet.FirstOrDefault(c => !members.Contains(c)) : members.Order().FirstOrDefault();
        return new AnchorPattern(text.ToString(), OracleSet(members, negated), f, sample == default ? "" : sample.ToString());
    }

    private static Gen<AnchorPattern> Group(PatternFlags f, int depth) =>
        from open in Gen.Elements("(", "(?:", "(?<g>")
        from n in Gen.Choose(0, 4)
        from body in Sequence(f, depth, n)
        select new AnchorPattern(open + body.Pattern + ")", "(?:" + body.Oracle + ")", f, body.Sample);

    private static Gen<AnchorPattern> ScopedGroup(PatternFlags f, int depth) =>
        from options in Options()
        from n in Gen.Choose(0, 4)
        from body in Sequence(Apply(f, options), depth, n)
        select new AnchorPattern("(?" + options + ":" + body.Pattern + ")", "(?:" + body.Oracle + ")", f, body.Sample);

    private static Gen<AnchorPattern> InlineOptions(PatternFlags f) =>
        from options in Options().Where(o => o.Trim('-').Length > 0)
        select new AnchorPattern("(?" + options + ")", "", Apply(f, options));

    /// <summary><c>on-off</c> over imnsx, letters in either case: <c>im-sx</c>, <c>-m</c>, <c>M</c>.</summary>
    private static Gen<string> Options() =>
        from enabled in Gen.SubListOf("imnsx".ToCharArray())
        from disabled in Gen.SubListOf("imnsx".ToCharArray())
        from upper in Gen.Elements(false, false, true)
        let text = new string([.. enabled]) + (disabled.Count > 0 ? "-" + new string([.. disabled]) : "")
        select upper ? text.ToUpperInvariant() : text;

    private static PatternFlags Apply(PatternFlags f, string options)
    {
        var on = true;
        foreach (var c in options.ToLowerInvariant())
        {
            switch (c)
            {
                case '-': on = false; break;
                case 'm': f = f with { M = on }; break;
                case 'x': f = f with { X = on }; break;
                case 'i': f = f with { I = on }; break;
                case 's': f = f with { S = on }; break;
            }
        }

        return f;
    }

    private static Gen<AnchorPattern> Comment(PatternFlags f) =>
        from text in Gen.Elements('a', '$', '[', '(', '#', ' ', '\n', '\\', ']').ArrayOf().Where(a => a.Length <= 4)
        select new AnchorPattern("(?#" + new string(text) + ")", "", f);

    /// <summary>Under x: white space, or a '#' comment to the end of the line.</summary>
    private static Gen<AnchorPattern> Blank(PatternFlags f) =>
        from kind in Gen.Elements(" ", "\t", "\n", "#")
        from text in Gen.Elements('a', '$', '[', '(', ')', ' ', '\\', ']').ArrayOf().Where(a => a.Length <= 4)
        select new AnchorPattern(kind == "#" ? "#" + new string(text) + "\n" : kind, "", f);

    private static HashSet<char> CaseClosure(IEnumerable<char> chars) =>
        [.. chars.SelectMany(c => char.IsAsciiLetter(c) ? new[] { char.ToLowerInvariant(c), char.ToUpperInvariant(c) } : [c])];

    private static string OracleSet(IReadOnlyCollection<char> members, bool negated)
    {
        if (members.Count == 0)
        {
            return negated ? AnyChar : @"[^\s\S]";
        }

        var sb = new StringBuilder(negated ? "[^" : "[");
        foreach (var c in members.Order())
        {
            sb.Append(CultureInfo.InvariantCulture, $@"\u{(int)c:X4}");
        }

        return sb.Append(']').ToString();
    }
}
