using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PolicyEngine.Redis.Tests.TestSupport;

/// <summary>
/// A redis-server of a test's own, on a free loopback port, with its files in artifacts/redis-tests/&lt;n&gt;: started
/// here, and stopped (killed) and restarted on the same port and data by fault tests.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static int s_next;
    private readonly string _directory;
    private readonly bool _appendOnly;
    private Process? _process;

    private RedisServer(int port, string directory, bool appendOnly)
    {
        Port = port;
        _directory = directory;
        _appendOnly = appendOnly;
    }

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Where redis-server is, or null when it is not installed.</summary>
    public static string? Executable =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Starts a server; <paramref name="appendOnly"/> keeps its data across a restart.</summary>
    public static RedisServer Start(bool appendOnly = false)
    {
        string directory = Path.Combine(RepositoryRoot(), "artifacts", "redis-tests", $"{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var server = new RedisServer(FreePort(), directory, appendOnly);
        server.Restart();
        return server;
    }

    /// <summary>Starts the server (again), on the same port and data, and waits until it answers.</summary>
    public void Restart()
    {
        string executable = Executable ?? throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server).");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", _appendOnly ? "yes" : "no", "--appendfsync", "always", "--dir", _directory,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!Answers(Port))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer (exited: {_process.HasExited}).");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    /// <summary>Whether a server at host:port answers PING.</summary>
    public static bool Answers(int port, string host = "127.0.0.1")
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(host, port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            int read = stream.Read(buffer);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
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
