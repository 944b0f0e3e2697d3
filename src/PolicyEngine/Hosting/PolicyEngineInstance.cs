namespace PolicyEngine.Hosting;

/// <summary>One registered engine: the evaluator and, for a watched file, its watcher. Disposed with the container.</summary>
internal sealed class PolicyEngineInstance(PolicyEvaluator evaluator, PolicyFileWatcher? watcher) : IDisposable
{
    public PolicyEvaluator Evaluator { get; } = evaluator;

    public PolicyFileWatcher? Watcher { get; } = watcher;

    // The evaluator is registered as its own singleton too; disposing it twice is harmless, but the watcher must stop first.
    public void Dispose()
    {
        Watcher?.Dispose();
        Evaluator.Dispose();
    }
}
