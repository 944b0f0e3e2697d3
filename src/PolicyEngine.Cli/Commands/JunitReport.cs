using System.Globalization;
using System.Text;
using System.Xml;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// Writes the outcomes of <c>policyengine test</c> as a JUnit XML report, the format CI systems read: one
/// <c>testcase</c> per test file, a <c>failure</c> for a test that failed and an <c>error</c> for a file that
/// could not be run.
/// </summary>
internal static class JunitReport
{
    public static bool TryWrite(string path, IReadOnlyList<TestOutcome> outcomes, TextWriter stderr)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            Write(file, outcomes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"policyengine: {path}: cannot write the JUnit report: {e.Message}");
            return false;
        }
    }

    public static void Write(Stream output, IReadOnlyList<TestOutcome> outcomes)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var xml = XmlWriter.Create(output, settings);
        var failures = Count(outcomes.Count(o => o.Result is { Passed: false }));
        var errors = Count(outcomes.Count(o => o.Result is null));
        var tests = Count(outcomes.Count);
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "policyengine test");
        xml.WriteAttributeString("tests", tests);
        xml.WriteAttributeString("failures", failures);
        xml.WriteAttributeString("errors", errors);
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "policyengine test");
        xml.WriteAttributeString("tests", tests);
        xml.WriteAttributeString("failures", failures);
        xml.WriteAttributeString("errors", errors);
        foreach (var outcome in outcomes)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean(outcome.Result?.Name ?? Path.GetFileNameWithoutExtension(outcome.File)));
            xml.WriteAttributeString("classname", Clean(outcome.File));
            if (outcome.Result is null)
            {
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", Clean(outcome.Error ?? "the file cannot be read as a test"));
                xml.WriteEndElement();
            }
            else if (!outcome.Result.Passed)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", Clean(outcome.Result.Failures[0].Message));
                xml.WriteString(Clean(outcome.Result.ToString()));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    // XML 1.0 cannot hold most control characters, and a message may echo a test's odd input.
    private static string Clean(string text) =>
        string.Concat(text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));
}
