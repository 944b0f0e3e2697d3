namespace PolicyEngine.Cli.Commands;

/// <summary>A tool list that could not be had, with a message fit for stderr and the exit code it means.</summary>
internal sealed class ToolSourceException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
