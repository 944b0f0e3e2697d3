namespace PolicyEngine;

/// <summary>What happened when a <see cref="PolicyFileWatcher"/> read an edited policy file.</summary>
public sealed class PolicyReloadEventArgs : EventArgs
{
    internal PolicyReloadEventArgs(string path, Policy? policy, IReadOnlyList<PolicyError> errors, Exception? exception)
    {
        Path = path;
        Policy = policy;
        Errors = errors;
        Exception = exception;
    }

    /// <summary>The watched file.</summary>
    public string Path { get; }

    /// <summary>The policy now in force when the reload succeeded; <see langword="null"/> when it failed.</summary>
    public Policy? Policy { get; }

    /// <summary>The validation errors of a rejected document; empty when it was valid or could not be read.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>The reason the file could not be read (missing, locked, too large…), if that was the failure.</summary>
    public Exception? Exception { get; }

    /// <summary><see langword="true"/> when the new document was valid and is now in force.</summary>
    public bool Succeeded => Policy is not null;
}
