using System.Text;
using PolicyEngine.Cli;

// Only the streams are set up here; parsing and commands live in their own files so they stay testable by reading.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var stdout = Console.OpenStandardOutput();
using var stderr = new StreamWriter(Console.OpenStandardError(), utf8) { NewLine = "\n", AutoFlush = true };
try
{
    return CommandLine.Run(args, stdout, stderr);
}
catch (IOException e)
{
    stderr.WriteLine($"policyengine: {e.Message}");
    return ExitCodes.Failure;
}
