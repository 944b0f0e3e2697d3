namespace PolicyEngine.Cli.Commands;

/// <summary><c>policyengine validate POLICY</c>: exit 0 and silence if valid, else exit 1 and one error per line.</summary>
internal static class ValidateCommand
{
    public static int Run(string policyPath, TextWriter stderr)
    {
        _ = PolicyFile.Load(policyPath, stderr, out var exitCode);
        return exitCode;
    }
}
