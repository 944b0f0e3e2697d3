namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// One <see cref="PrivateRedisServer"/> for a test class. Tests that only need a server (not to kill it) share it and
/// keep apart by key prefix; <see cref="Require"/> skips the test when no server could be started outside CI.
/// </summary>
public sealed class PrivateRedisFixture : IDisposable
{
    private readonly PrivateRedisServer? _server = PrivateRedisServer.Start("shared");

    internal PrivateRedisServer Require() => _server ?? throw SkipException();

    public void Dispose() => _server?.Dispose();

    internal static Exception SkipException()
    {
        Assert.Skip("redis-server is not installed (and CI is unset): the Redis tests need a real server.");
        return new InvalidOperationException("unreachable");
    }
}
