using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyEngine.Redis.Tests.Faults;

/// <summary>
/// A redis-server of one test's own, which the test may kill, restart and flush without disturbing the shared one:
/// loopback only, on a free port, with its append-only file and snapshot in artifacts/ so that a restart finds the
/// data again. <see cref="Start"/> returns null when no redis-server is installed and CI is unset (the test then skips);
/// under CI a missing server fails the test.
/// </summary>
internal sealed class PrivateRedisServer : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly string _binary;
    private Process? _process;

    private PrivateRedisServer(string binary, int port, string directory)
    {
        _binary = binary;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    /// <summary>Where the server keeps appendonly.aof and dump.rdb.</summary>
    public string Directory { get; }

    /// <summary>The StackExchange.Redis configuration: short timeouts, and no error when the server is down at connect time.</summary>
    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},abortConnect=false,connectTimeout=500,syncTimeout=500,asyncTimeout=500");

    public bool IsRunning => _process is { HasExited: false };

    public static PrivateRedisServer? Start(string name)
    {
        var binary = Candidates.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("redis-server is not installed; under CI the Redis tests must run (.ci/run installs it).");
            }

            return null;
        }

        var directory = Path.Combine(RepositoryRoot(), "artifacts", "redis-private", $"{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var server = new PrivateRedisServer(binary, FreePort(), directory);
        server.Restart();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and directory, and waits until it answers PING.</summary>
    public void Restart()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The server is running.");
        }

        var start = new ProcessStartInfo(_binary)
        {
            UseShellExecute = false, // it logs to redis.log in its directory, not to our output
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "60 1", "--protected-mode", "no", "--daemonize", "no",
            "--logfile", "redis.log",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var deadline = Stopwatch.StartNew();
        while (Send("PING") != "+PONG")
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING: {ReadLog()}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would: no shutdown, no final save.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung or overloaded store.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string name)
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        using var kill = Process.Start("kill", ["-" + name, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Sends one inline command and returns the first line of the answer, or null when nothing answered.</summary>
    public string? Send(string command)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 2000;
            stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return reader.ReadLine();
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Kill();
        for (int attempt = 0; attempt < 5 && System.IO.Directory.Exists(Directory); attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50); // a save the server forked may still be writing; a leftover folder under artifacts/ is harmless
            }
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(Directory, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
