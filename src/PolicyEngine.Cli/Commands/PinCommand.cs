using System.Text;
using System.Text.Json;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>policyengine pin DEFINITION.json</c>: prints the <c>sha256:…</c> pin of a tool definition (docs/policy-language.md#tool-definition-pins).</summary>
internal static class PinCommand
{
    private const int MaxDefinitionBytes = 16 * 1024 * 1024;

    public static int Run(string path, Stream stdout, TextWriter stderr)
    {
        byte[] bytes;
        try
        {
            bytes = FileInput.ReadAllBytes(path, MaxDefinitionBytes);
        }
        catch (FileInputException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return e.TooLarge ? ExitCodes.Invalid : ExitCodes.Failure;
        }

        string pin;
        try
        {
            // A definition with duplicate keys has no single meaning, so it has no pin.
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
            pin = ToolPin.Compute(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            stderr.WriteLine($"policyengine: {path}: not a tool definition: {e.Message}");
            return ExitCodes.Invalid;
        }

        stdout.Write(Encoding.UTF8.GetBytes(pin + "\n"));
        stdout.Flush();
        return ExitCodes.Ok;
    }
}
