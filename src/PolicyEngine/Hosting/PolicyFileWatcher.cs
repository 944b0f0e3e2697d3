using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolicyEngine.Document;

namespace PolicyEngine;

/// <summary>
/// Keeps a <see cref="PolicyEvaluator"/> in step with a policy file: polls the file through the injected
/// <see cref="TimeProvider"/>, waits until an edit has settled, validates the new document and only then swaps it in
/// with <see cref="PolicyEvaluator.Reload(Policy)"/>. A document that does not validate is reported through
/// <see cref="ReloadFailed"/> and the log, and the last good policy stays in force.
/// </summary>
public sealed partial class PolicyFileWatcher : IDisposable
{
    private readonly PolicyEvaluator _evaluator;
    private readonly PolicyFileWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly FileSystemWatcher? _fileEvents;
    private readonly Lock _gate = new();
    private FileStamp _seen;
    private FileStamp? _pending;
    private long _pendingSince;
    private byte[] _appliedHash;
    private bool _disposed;

    /// <summary>Starts watching a file whose current content the evaluator already holds.</summary>
    /// <param name="path">The policy file.</param>
    /// <param name="evaluator">The evaluator to reload; the watcher does not own it.</param>
    /// <param name="options">Polling and debounce settings; <see langword="null"/> for the defaults. Checked and copied here.</param>
    /// <param name="logger">Where reloads and rejected documents are logged; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PolicyFileWatcher(string path, PolicyEvaluator evaluator, PolicyFileWatcherOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(evaluator);
        Path = System.IO.Path.GetFullPath(path);
        _evaluator = evaluator;
        _options = (options ?? new PolicyFileWatcherOptions()).Validated();
        _logger = logger ?? NullLogger.Instance;
        _seen = FileStamp.Read(Path);

        // The evaluator was built from the file as it is now; only a different content counts as an edit.
        _appliedHash = TryReadHash(Path) ?? [];
        _timer = _options.TimeProvider.CreateTimer(_ => Check(), null, _options.PollInterval, _options.PollInterval);
        if (_options.UseFileSystemEvents)
        {
            _fileEvents = CreateFileEvents(Path);
        }
    }

    /// <summary>The watched file's full path.</summary>
    public string Path { get; }

    /// <summary>Raised after a valid edited document was put in force.</summary>
    public event EventHandler<PolicyReloadEventArgs>? Reloaded;

    /// <summary>Raised when an edited document was rejected or could not be read; the last good policy stays in force.</summary>
    public event EventHandler<PolicyReloadEventArgs>? ReloadFailed;

    /// <summary>
    /// Looks at the file now, as a poll would: an edit is applied once it has stayed unchanged for
    /// <see cref="PolicyFileWatcherOptions.Debounce"/>. Never throws for a bad or missing file.
    /// </summary>
    public void Check()
    {
        // A poll that overlaps a running one has nothing to add.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            if (!_disposed)
            {
                CheckLocked();
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Stops watching. The evaluator keeps the policy last put in force.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _fileEvents?.Dispose();
    }

    private void CheckLocked()
    {
        var stamp = FileStamp.Read(Path);
        if (stamp == _seen)
        {
            _pending = null;
            return;
        }

        var now = _options.TimeProvider.GetTimestamp();
        if (_pending != stamp)
        {
            _pending = stamp;
            _pendingSince = now;
            if (_options.Debounce > TimeSpan.Zero)
            {
                return;
            }
        }
        else if (_options.TimeProvider.GetElapsedTime(_pendingSince, now) < _options.Debounce)
        {
            return;
        }

        _pending = null;
        _seen = stamp;
        Apply();
    }

    private void Apply()
    {
        byte[] content;
        try
        {
            content = ReadBounded(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PolicyValidationException)
        {
            LogUnreadable(_logger, Path, e);
            Raise(ReloadFailed, new PolicyReloadEventArgs(Path, null, e is PolicyValidationException v ? v.Errors : [], e));
            return;
        }

        var hash = SHA256.HashData(content);
        if (hash.AsSpan().SequenceEqual(_appliedHash))
        {
            return;
        }

        Policy? policy;
        IReadOnlyList<PolicyError> errors;
        try
        {
            if (Policy.TryParseFile(content, Path, out policy, out errors))
            {
                _evaluator.Reload(policy);
            }
        }
#pragma warning disable CA1031 // Fail closed: whatever goes wrong, the last good policy stays in force.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnreadable(_logger, Path, e);
            Raise(ReloadFailed, new PolicyReloadEventArgs(Path, null, [], e));
            return;
        }

        if (policy is null)
        {
            LogRejected(_logger, Path, errors.Count, string.Join("; ", errors.Select(Describe)));
            Raise(ReloadFailed, new PolicyReloadEventArgs(Path, null, errors, null));
            return;
        }

        _appliedHash = hash;
        LogReloaded(_logger, Path, policy.Fingerprint);
        Raise(Reloaded, new PolicyReloadEventArgs(Path, policy, [], null));
    }

    private void Raise(EventHandler<PolicyReloadEventArgs>? handler, PolicyReloadEventArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's fault must not stop the watcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(_logger, Path, e);
        }
    }

    private FileSystemWatcher? CreateFileEvents(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory))
        {
            return null;
        }

        var events = new FileSystemWatcher(directory, System.IO.Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };

        // An event only brings the next check forward; the polling logic still decides when to load.
        FileSystemEventHandler nudge = (_, _) => _timer.Change(_options.Debounce, _options.PollInterval);
        events.Changed += nudge;
        events.Created += nudge;
        events.Renamed += (_, _) => _timer.Change(_options.Debounce, _options.PollInterval);
        events.EnableRaisingEvents = true;
        return events;
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > Policy.MaxDocumentBytes)
        {
            throw new PolicyValidationException(
                [new PolicyError("", 1, 1, ValidationMessages.DocumentTooLarge(Policy.MaxDocumentBytes))]);
        }

        using var buffer = new MemoryStream((int)stream.Length);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[]? TryReadHash(string path)
    {
        try
        {
            return SHA256.HashData(ReadBounded(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PolicyValidationException)
        {
            return null;
        }
    }

    private static string Describe(PolicyError error) =>
        $"{error.Line}:{error.Column}: {error.Pointer}: {error.Message}";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Policy file {Path} reloaded; fingerprint {Fingerprint}.")]
    private static partial void LogReloaded(ILogger logger, string path, string fingerprint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Policy file {Path} rejected with {Count} error(s); the last good policy stays in force: {Errors}")]
    private static partial void LogRejected(ILogger logger, string path, int count, string errors);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Policy file {Path} could not be read or loaded; the last good policy stays in force.")]
    private static partial void LogUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A reload event handler for {Path} threw.")]
    private static partial void LogHandlerFailed(ILogger logger, string path, Exception exception);

    /// <summary>What a cheap look at the file sees; a different stamp means the file may have changed.</summary>
    private readonly record struct FileStamp(bool Exists, long Length, DateTime LastWriteUtc)
    {
        public static FileStamp Read(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.Length, info.LastWriteTimeUtc) : default;
        }
    }
}
