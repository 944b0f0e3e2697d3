using System.Globalization;
using PolicyEngine.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Every sentence a validation or parse error says, in one place (docs/policy-language.md#validation), as
/// <c>DecisionTree/Sentences</c> holds every sentence of a decision. Split by what is read: the text of a document
/// (here), its keys and values (<c>.Policy</c>), an Intercept document (<c>.Intercept</c>), a calls file or test step
/// (<c>.Calls</c>) and a policy test file (<c>.Tests</c>). A number in a message comes from the constant that enforces it: directly where that constant is
/// in this folder or below it (<see cref="SourceReader.MaxDepth"/>, <see cref="Duration"/>, <see cref="ExactNumber"/>),
/// else as an argument that the check passes from its own constant (<c>Policy.MaxDocumentBytes</c>, …), so that
/// Document depends on no folder above it. Tests compare the wording byte for byte: change it here, and them.
/// </summary>
internal static partial class ValidationMessages
{
    // PolicyValidationException's message: the head of its list of errors.
    public const string DocumentInvalid = "The policy document is invalid.";

    public static string DocumentHasErrors(int count) => $"The policy document has {count} error(s):";

    public static string FileHasErrors(string filePath, int count) => $"The policy file {filePath} has {count} error(s):";

    public static string AndMore(int count) => $"… and {count} more";

    // The document's text: size, JSON and YAML syntax.
    public static string DocumentTooLarge(int maxBytes) => $"The document is larger than {maxBytes} bytes.";

    public const string EmptyFile = "The file is empty: a policy is a JSON object, such as {\"version\": \"1\", \"default\": \"deny\"}.";

    public const string DataAfterEnd = "Unexpected data after the end of the document.";

    public static string InvalidJsonString(string reason) => "Invalid JSON string: " + reason;

    public static string DuplicateKey(string name) => $"Duplicate key '{name}'.";

    public const string Comments = "Comments are not allowed: a policy is strict JSON. Put notes in a \"description\" or remove them.";

    public static string TrailingComma(char before) => $"Trailing commas are not allowed: remove the ',' before '{before}'.";

    public const string NeitherJsonNorYaml =
        "The file is neither JSON nor YAML: a policy is a JSON object that starts with '{', or a YAML mapping such as 'version: \"1\"'.";

    public const string UnclosedAtEnd = "The file ends before every object and array is closed: a '}' or ']' is missing.";

    public static string InvalidValueStart(char first) =>
        $"A value cannot start with '{first}': write a string in double quotes, a number, true, false, null, an object or an array.";

    public static string InvalidJson(string reason) => "Invalid JSON: " + reason;

    public static readonly string NestedTooDeep = $"The document is nested deeper than {SourceReader.MaxDepth} levels.";

    public const string YamlSecondDocument = "A policy file holds one YAML document; remove the second '---' and what follows.";

    public static string YamlUnreadable(string reason) => "Invalid YAML: the text cannot be read as YAML (" + reason + ").";

    public const string YamlTabIndent = "Invalid YAML: a tab indents this line; YAML indents with spaces only.";

    public static string InvalidYaml(string reason) => "Invalid YAML: " + reason;

    public const string YamlAlias = "YAML aliases (*name) are not supported in a policy: write the value out.";

    public const string YamlAnchor = "YAML anchors (&name) are not supported in a policy: write each value out.";

    public static string YamlTag(string tag) =>
        $"YAML tags ({tag}) are not supported in a policy: a value is a string, number, boolean, null, list or mapping.";

    public const string YamlComplexKey = "A key must be a plain string: no lists, mappings, anchors, aliases or tags as keys.";

    public static string YamlNumber(string text) =>
        $"'{text}' is a YAML number that JSON cannot write as it stands: write it as a JSON number (such as 31, 0.5 or 1e3), or quote it for a string.";

    // Durations (docs/policy-language.md#durations), with the bounds Duration enforces.
    public const string DurationNotExact = "A duration in seconds must be a number the engine can hold exactly.";

    public const string DurationForm =
        "A duration is a number of seconds or an integer followed by ms, s, m, h or d (\"500ms\", \"30s\", \"1h\").";

    public const string DurationNotPositive = "A duration must be positive.";

    public static readonly string DurationTooShort = string.Create(CultureInfo.InvariantCulture,
        $"A duration must be at least {Duration.Min.Ticks / TimeSpan.TicksPerMillisecond} ms ({(decimal)Duration.Min.Ticks / TimeSpan.TicksPerSecond} seconds); a shorter one would round to nothing.");

    public static readonly string DurationTooLong = string.Create(CultureInfo.InvariantCulture,
        $"A duration may be at most {Duration.Max.Ticks / TimeSpan.TicksPerDay} days.");

    // Numbers that a condition compares, with the bound ExactNumber holds exactly.
    public static string NotExact(string number) =>
        $"The number {number} cannot be compared exactly (at most {ExactNumber.MaxDigits} significant digits and {ExactNumber.MaxDigits} decimal places).";
}
