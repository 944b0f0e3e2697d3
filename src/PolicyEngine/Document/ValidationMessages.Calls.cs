namespace PolicyEngine.Document;

internal static partial class ValidationMessages
{
    // A step of a calls file (policyengine eval) or a policy test (docs/policy-language.md#command-line): a line that
    // cannot be read, or call fields of the wrong kind, is answered as an invalid call with one of these.
    public const string LineNotUtf8 = "The line is not valid UTF-8.";

    public static string LineNotJson(string reason) => $"The line is not valid JSON: {reason}";

    public static string LineUnreadable(string reason) => $"The line cannot be read: {reason}";

    public static string LineTooLong(int maxBytes) => $"The line is longer than {maxBytes} bytes.";

    public const string LineBlank = "The line is blank; every line of a calls file is a step, so it is answered as an invalid call.";

    /// <summary>An error of a calls file's line, named by its 1-based number.</summary>
    public static string OnLine(int number, string error) => $"Line {number}: {error}";

    public const string StepUnreadable = "The step cannot be read.";

    public const string StepNotObject = "A step must be a JSON object.";

    public const string ApproveAndReload = "A step cannot both approve and reload.";

    public static string DuplicateKeyIn(string name, string topLevelKey) => $"Duplicate key '{name}' in '{topLevelKey}'.";

    public static string UnknownStepKey(string name, string step) => $"Unknown key '{name}' in a {step} step.";

    public const string ApproveNotObject = "'approve' must be an object of call fields.";

    public const string AtNotSeconds = "'at' must be a number of seconds.";

    public static string AtAtMost(decimal maxSeconds) => $"'at' must be a number of seconds, at most {maxSeconds}.";

    public static string AtRange(decimal maxSeconds) => $"'at' must be a number of seconds from 0 to {maxSeconds}.";

    public const string CallNotObject = "A call must be a JSON object of call fields.";

    public static string FieldNotString(string name) => $"'{name}' must be a string.";

    public const string ContextNotObject = "'context' must be an object.";

    public static string UnknownCallField(string name) => $"Unknown call field '{name}'.";

    public const string CallNeedsTool = "A call needs a 'tool' string.";

    // A reloaded document that was rejected with no error to show: a rejection must still read as one.
    public const string DocumentRejected = "The document was rejected.";

    public const string DocumentRejectedWithoutReason = "The document was rejected without a reason.";
}
