using System.Text;
using System.Text.Json;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>policyengine init</c>: writes a starter policy for a server's tools (PolicyTemplates.FromTools).</summary>
internal static class InitCommand
{
    public const string DefaultOutput = "policy.json";

    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "--dry-run", "--force" };

    public static readonly IReadOnlySet<string> Options = new HashSet<string>(StringComparer.Ordinal) { "-o", "--output", "--approvals" };

    public static int Run(ToolListArguments arguments, Stream stdout, TextWriter stderr)
    {
        if (arguments.Options.ContainsKey("-o") && arguments.Options.ContainsKey("--output"))
        {
            stderr.WriteLine("policyengine: give -o or --output, not both");
            return ExitCodes.Failure;
        }

        var output = arguments.Options.GetValueOrDefault("-o") ?? arguments.Options.GetValueOrDefault("--output") ?? DefaultOutput;
        var approvals = arguments.Options.GetValueOrDefault("--approvals") ?? "policylayer";
        if (approvals is not ("engine" or "policylayer"))
        {
            stderr.WriteLine($"policyengine: --approvals is engine or policylayer, not '{approvals}'");
            return ExitCodes.Failure;
        }

        var dryRun = arguments.Flags.Contains("--dry-run");
        if (!dryRun && !arguments.Flags.Contains("--force") && File.Exists(output))
        {
            stderr.WriteLine($"policyengine: {output} exists; choose another file with -o, or replace it with --force");
            return ExitCodes.Failure;
        }

        IReadOnlyList<JsonElement> tools;
        string policy;
        try
        {
            tools = ToolSource.Load(arguments);
            policy = PolicyTemplates.FromTools(tools, new PolicyTemplateOptions { EngineApprovals = approvals == "engine" });
        }
        catch (ToolSourceException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return e.ExitCode;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return ExitCodes.Invalid;
        }

        // The template is the library's; checking it here means a broken template is never written.
        if (!Policy.TryParse(policy, out _, out var errors))
        {
            stderr.WriteLine($"policyengine: internal error: the starter policy does not validate: {errors[0]}");
            return ExitCodes.Invalid;
        }

        var bytes = Encoding.UTF8.GetBytes(policy);
        if (dryRun)
        {
            stdout.Write(bytes);
            stdout.Flush();
        }
        else
        {
            try
            {
                File.WriteAllBytes(output, bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                stderr.WriteLine($"policyengine: {output}: cannot write: {e.Message}");
                return ExitCodes.Failure;
            }
        }

        stderr.WriteLine($"policyengine: {(dryRun ? "starter policy" : "wrote " + output)}: {Summary(tools)}. Review every entry, then commit it.");
        return ExitCodes.Ok;
    }

    private static string Summary(IReadOnlyList<JsonElement> tools)
    {
        var levels = tools.Select(t => ToolRisk.Classify(t).Level).ToList();
        return $"{tools.Count} tool(s): " + string.Join(", ", Enum.GetValues<ToolRiskLevel>().Select(l => $"{levels.Count(x => x == l)} {ToolRisk.NameOf(l)}"));
    }
}
