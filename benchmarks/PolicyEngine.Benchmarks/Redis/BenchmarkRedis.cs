using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>
/// The Redis the Redis benchmarks run against, on loopback: the one named by <c>POLICYENGINE_REDIS</c> (a
/// StackExchange.Redis configuration such as <c>127.0.0.1:6379</c>), or else a redis-server started here on a free port
/// without persistence, and stopped with <see cref="Dispose"/>. Every run uses key prefixes of its own.
/// </summary>
internal sealed class BenchmarkRedis : IDisposable
{
    private readonly Process? _process;

    private BenchmarkRedis(string configuration, Process? process)
    {
        Configuration = configuration;
        _process = process;
        Connection = ConnectionMultiplexer.Connect(configuration + ",allowAdmin=true"); // INFO, KEYS and MEMORY for the probes
    }

    public string Configuration { get; }

    /// <summary>The benchmark's multiplexer: the peer's, the probes', and the engine's where a probe measures it on a shared connection.</summary>
    public ConnectionMultiplexer Connection { get; }

    public IServer Server => Connection.GetServer(Connection.GetEndPoints()[0]);

    public static BenchmarkRedis Start()
    {
        // BenchmarkDotNet raises the benchmark process to high priority (nice -11 when it may, as root on Linux). Here the
        // client and redis-server share the machine's cores, and a client that preempts the server measures neither as
        // deployed (they run at equal priority, or apart): the engine and the peer alike run at normal priority.
        using (var self = Process.GetCurrentProcess())
        {
            self.PriorityClass = ProcessPriorityClass.Normal;
        }

        if (Environment.GetEnvironmentVariable("POLICYENGINE_REDIS") is { Length: > 0 } configured)
        {
            return new BenchmarkRedis(configured, null);
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; set POLICYENGINE_REDIS to use a running one.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        string configuration = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},abortConnect=false");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new BenchmarkRedis(configuration, process);
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// Redis's own counts from <c>INFO commandstats</c>, leaving out INFO itself: the scripts and functions run
    /// (<c>EVAL</c>, <c>EVALSHA</c>, <c>FCALL</c>) and the microseconds Redis spent in them, and all commands, which include those a script runs inside Redis.
    /// </summary>
    public (long Scripts, long ScriptMicroseconds, long Commands) CommandsRun()
    {
        long scripts = 0, scriptMicroseconds = 0, commands = 0;
        foreach (var line in Server.InfoRaw("commandstats")!.Split('\n'))
        {
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && !line.StartsWith("cmdstat_info:", StringComparison.Ordinal))
            {
                int start = line.IndexOf("calls=", StringComparison.Ordinal) + "calls=".Length;
                int end = line.IndexOf(',', start);
                long calls = long.Parse(line.AsSpan(start, end - start), CultureInfo.InvariantCulture);
                commands += calls;
                if (line.StartsWith("cmdstat_eval", StringComparison.Ordinal) || line.StartsWith("cmdstat_fcall:", StringComparison.Ordinal))
                {
                    scripts += calls;
                    int usec = line.IndexOf("usec=", StringComparison.Ordinal) + "usec=".Length;
                    scriptMicroseconds += long.Parse(line.AsSpan(usec, line.IndexOf(',', usec) - usec), CultureInfo.InvariantCulture);
                }
            }
        }

        return (scripts, scriptMicroseconds, commands);
    }

    /// <summary>Redis's <c>total_reads_processed</c> (INFO stats): the reads it made from client sockets.</summary>
    /// <summary>The CPU time the server has used so far (<c>INFO cpu</c>, user and system), in microseconds.</summary>
    public long CpuMicroseconds()
    {
        double seconds = 0;
        foreach (var line in Server.InfoRaw("cpu")!.Split('\n'))
        {
            if (line.StartsWith("used_cpu_user:", StringComparison.Ordinal) || line.StartsWith("used_cpu_sys:", StringComparison.Ordinal))
            {
                seconds += double.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return (long)(seconds * 1_000_000);
    }

    public long ReadsProcessed()
    {
        foreach (var line in Server.InfoRaw("stats")!.Split('\n'))
        {
            if (line.StartsWith("total_reads_processed:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("total_reads_processed:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("This Redis reports no total_reads_processed (INFO stats); it needs Redis 6 or later.");
    }

    public void Dispose()
    {
        Connection.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}
