using System.Text.RegularExpressions;

namespace PolicyEngine.Document;

/// <summary>What a plain (unquoted) YAML scalar is, by the YAML 1.2 core schema, mapped onto JSON.</summary>
internal static partial class YamlScalars
{
    public enum Kind
    {
        String,
        Null,
        True,
        False,
        Number,

        /// <summary>A number in YAML's core schema that is not a JSON number: refused rather than guessed.</summary>
        NotJsonNumber,
    }

    public static Kind Resolve(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => Kind.Null,
        "true" or "True" or "TRUE" => Kind.True,
        "false" or "False" or "FALSE" => Kind.False,
        _ when JsonNumber().IsMatch(text) => Kind.Number,
        _ when CoreNumber().IsMatch(text) => Kind.NotJsonNumber,
        _ => Kind.String,
    };

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    // YAML 1.2 core schema ints and floats (decimal, octal 0o, hex 0x, .inf, .nan).
    [GeneratedRegex(@"\A([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))\z", RegexOptions.CultureInvariant)]
    private static partial Regex CoreNumber();
}
