using System.Text;
using System.Text.Json;
using PolicyEngine.Document;

namespace PolicyEngine.Testing;

/// <summary>
/// Runs policy tests: files in the test case format (docs/authoring.md), each a policy and the steps run against
/// it — calls, approvals, reloads and time — with the answer each must give, or a policy that must be rejected.
/// <c>policyengine test</c> runs them through this class, and so can a host's own test project: use
/// <see cref="FindTests"/> as a theory's data and <see cref="AssertPasses"/> as its body.
/// </summary>
public static class PolicyTestRunner
{
    private static readonly JsonDocumentOptions FileOptions = new() { MaxDepth = 256 };

    /// <summary>
    /// The test files under <paramref name="paths"/>: a file is taken as given; a folder is searched, with its
    /// subfolders, for <c>*.json</c> files that hold a test (a top-level <c>steps</c> or <c>expect_errors</c>), so
    /// policies and tool listings kept beside their tests are left out. A file that is not JSON at all is kept,
    /// so that running it reports it instead of skipping it silently. Sorted ordinally per folder.
    /// </summary>
    /// <param name="paths">Test files and folders.</param>
    /// <returns>The test files' paths.</returns>
    /// <exception cref="DirectoryNotFoundException">A path is neither a file nor a folder.</exception>
    public static IReadOnlyList<string> FindTests(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var found = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                found.AddRange(Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal)
                    .Where(IsTestOrUnreadable));
            }
            else if (File.Exists(path))
            {
                found.Add(path);
            }
            else
            {
                throw new DirectoryNotFoundException(ValidationMessages.TestNotFound(path));
            }
        }

        return found;
    }

    /// <summary>Runs the test in the file at <paramref name="path"/>; a <c>policy</c> given as a path is read relative to that file.</summary>
    /// <param name="path">The test file.</param>
    /// <returns>The result, passed or with every failure.</returns>
    /// <exception cref="InvalidDataException">The file cannot be read or is not a test (the message says why and where).</exception>
    public static PolicyTestResult RunFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > TestCaseReader.MaxTestBytes)
            {
                throw new InvalidDataException(ValidationMessages.TestFileTooLarge(path, TestCaseReader.MaxTestBytes));
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException(ValidationMessages.TestFileUnreadable(path, e.Message), e);
        }

        try
        {
            return Run(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), Path.GetFileNameWithoutExtension(path), path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Runs a test given as text.</summary>
    /// <param name="testJson">The test case document.</param>
    /// <param name="baseDirectory">Where a <c>policy</c> path is relative to; the current folder when <see langword="null"/>.</param>
    /// <returns>The result, passed or with every failure.</returns>
    /// <exception cref="InvalidDataException">The text is not a test (the message says why and where).</exception>
    public static PolicyTestResult Run(string testJson, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(testJson);
        return Run(Encoding.UTF8.GetBytes(testJson), baseDirectory, "test", file: null);
    }

    /// <summary>Runs the test in <paramref name="path"/> and throws when it fails: the assertion for a host's test project.</summary>
    /// <param name="path">The test file.</param>
    /// <exception cref="PolicyTestFailedException">The test failed; the message lists each failing step, expected and actual.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read or is not a test.</exception>
    public static void AssertPasses(string path) => RunFile(path).ThrowIfFailed();

    private static PolicyTestResult Run(byte[] utf8, string? baseDirectory, string fallbackName, string? file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, FileOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(ValidationMessages.TestNotJson(e.Message), e);
        }

        using (document)
        {
            var test = TestCaseReader.Read(document.RootElement, baseDirectory, fallbackName);
            var failures = test.ExpectErrors is { } pointers ? Validate(test.Policy, pointers) : RunSteps(test);
            return new PolicyTestResult(test.Name, file, test.Steps.Count, failures);
        }
    }

    private static List<PolicyTestFailure> Validate(byte[] policy, IReadOnlyList<string> pointers)
    {
        var expected = ExpectedErrors(pointers);
        if (Policy.TryParse(policy, out _, out var errors))
        {
            return [new PolicyTestFailure(null, "the policy was accepted, but the test expects it rejected", expected, "accepted")];
        }

        var actual = string.Join("; ", errors.Select(e => $"{e.Pointer}: {e.Message}"));
        return pointers.Where(p => !errors.Any(e => e.Pointer == p))
            .Select(p => new PolicyTestFailure(null, $"no error at '{p}'", expected, actual))
            .ToList();
    }

    private static List<PolicyTestFailure> RunSteps(TestCase test)
    {
        if (!Policy.TryParse(test.Policy, out var policy, out var errors))
        {
            var actual = string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column}: {e.Pointer}: {e.Message}"));
            return [new PolicyTestFailure(null, "the policy was rejected", "a valid policy", actual)];
        }

        var clock = new TestClock();
        using var evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = clock });
        var steps = new StepRunner(evaluator, clock);
        var failures = new List<PolicyTestFailure>();
        for (var i = 0; i < test.Steps.Count; i++)
        {
            var step = test.Steps[i];
            using var answer = JsonDocument.Parse(steps.Answer(step));
            if (ExpectMatcher.Mismatch(step.Expect, answer.RootElement) is { } mismatch)
            {
                failures.Add(new PolicyTestFailure(i, mismatch, Compact(step.Expect), answer.RootElement.GetRawText()));
            }
        }

        return failures;
    }

    private static bool IsTestOrUnreadable(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file), FileOptions);
            return TestCaseReader.LooksLikeTest(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ExpectedErrors(IReadOnlyList<string> pointers) =>
        "errors at [" + string.Join(", ", pointers) + "]";
}
