using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// samples/McpServer started as a child process over Streamable HTTP on a free loopback port (<c>--http --urls
/// http://127.0.0.1:0</c>), as the README runs it; the port is read from the line the sample logs once it listens,
/// its last startup line, so that every startup line is in <see cref="StandardError"/> when <see cref="StartAsync"/> returns.
/// </summary>
internal sealed partial class HttpSampleServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpSampleServer(Process process) => _process = process;

    public string Address { get; private set; } = "";

    /// <summary>Everything the server wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <param name="policyFile">The policy to serve.</param>
    /// <param name="arguments">More options, e.g. <c>--stateless</c>.</param>
    /// <param name="environment">Environment variables, e.g. <c>PolicyEngine__Redis</c>.</param>
    public static async Task<HttpSampleServer> StartAsync(string policyFile, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        string[] fixedArguments = [Path.Combine(SampleServer.Directory, "McpServer.dll"), "--http", "--urls", "http://127.0.0.1:0", "--policy", policyFile];
        foreach (var argument in fixedArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new HttpSampleServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        server._process.OutputDataReceived += (_, _) => { };
        server._process.ErrorDataReceived += (_, e) => server.OnStandardError(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.Address = await server._listening.Task.WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The HTTP sample did not start listening within {StartTimeout}:\n{server.StandardError}", e);
        }

        return server;
    }

    /// <summary>A client with its own MCP session; <paramref name="user"/>, when given, goes in the <c>X-User</c> header.</summary>
    public Task<McpClient> ConnectAsync(string? user = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = new Uri(Address + "/"), TransportMode = HttpTransportMode.StreamableHttp };
        if (user is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["X-User"] = user };
        }

        return McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void OnStandardError(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new TimeoutException("The HTTP sample exited before it listened."));
            return;
        }

        lock (_stderr)
        {
            _stderr.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"MCP Streamable HTTP on (http://\S+) \(")]
    private static partial Regex ListeningLine();
}
