using System.Globalization;

namespace PolicyEngine.Document;

internal static partial class ValidationMessages
{
    // A policy test file (docs/authoring.md), as policyengine test and PolicyTestRunner read it: each message follows the
    // pointer of what it is about ("/steps/0/at: must be …"), or the file's path.
    public const string TestPolicyChoice = "give exactly one of 'policy' (a document, or a path relative to the test file) and 'policy_text'";

    public const string TestKindChoice = "give exactly one of 'steps' (a decision case) and 'expect_errors' (a validation case)";

    public const string TestSteps = "must be an array of steps";

    public const string TestStepKind = "a step has exactly one of 'call', 'raw', 'approve' and 'reload'";

    public const string TestExpect = "every step needs 'expect', an object of the answer's fields that must match";

    public const string TestExpectErrors = "must be an array of JSON Pointer strings";

    public static string TestAt(decimal maxSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"must be a number of seconds from 0 to {maxSeconds}");

    public static string TestPolicyFileTooLarge(string path, int maxBytes) => $"the policy file '{path}' is larger than {maxBytes} bytes";

    public static string TestPolicyFileUnreadable(string path, string reason) => $"cannot read the policy file '{path}': {reason}";

    public const string TestObject = "must be a JSON object";

    public static string TestDuplicateKey(string name) => $"duplicate key '{name}'";

    public static string TestUnknownKey(string name, string[] known) => $"unknown key '{name}'; expected one of {string.Join(", ", known)}";

    public const string TestString = "must be a string";

    public static string TestNotFound(string path) => $"{path}: no such file or folder";

    public static string TestFileTooLarge(string path, int maxBytes) => $"{path}: larger than {maxBytes} bytes";

    public static string TestFileUnreadable(string path, string reason) => $"{path}: cannot read: {reason}";

    public static string TestNotJson(string reason) => $"not valid JSON: {reason}";
}
