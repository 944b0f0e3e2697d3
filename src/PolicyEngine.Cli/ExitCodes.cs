namespace PolicyEngine.Cli;

/// <summary>The process exit codes of <c>policyengine</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success: the policy is valid, or every step was answered.</summary>
    public const int Ok = 0;

    /// <summary>The policy (or tool definition) is invalid; the errors are on stderr.</summary>
    public const int Invalid = 1;

    /// <summary>Usage error, a missing or unreadable file, or an I/O failure.</summary>
    public const int Failure = 2;
}
