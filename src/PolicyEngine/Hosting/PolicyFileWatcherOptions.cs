namespace PolicyEngine;

/// <summary>
/// How a <see cref="PolicyFileWatcher"/> notices and applies edits to a policy file. Checked when the watcher is built;
/// a bad value throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public sealed class PolicyFileWatcherOptions
{
    /// <summary>The clock that drives polling and debouncing. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How often the file's size and write time are checked. Default 1 second; at least 1 millisecond.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a changed file must stay unchanged before it is read, so that a half-written file is not loaded.
    /// Default 200 milliseconds; zero applies a change at the first check that sees it.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Whether a <see cref="FileSystemWatcher"/> also nudges the watcher to check soon after an edit, in addition to polling.
    /// Default <see langword="true"/>. Polling alone is enough for correctness (and is what tests drive with a fake clock).
    /// </summary>
    public bool UseFileSystemEvents { get; set; } = true;

    internal PolicyFileWatcherOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThan(PollInterval, TimeSpan.FromMilliseconds(1), nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Debounce, TimeSpan.Zero, nameof(Debounce));

        // A copy, so that changing the options object later cannot change a running watcher.
        return (PolicyFileWatcherOptions)MemberwiseClone();
    }
}
