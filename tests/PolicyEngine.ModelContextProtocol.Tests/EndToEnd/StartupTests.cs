using System.Diagnostics;
using ModelContextProtocol.Client;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary>
/// samples/McpServer started from the root directory, as desktop clients start stdio servers: a missing or invalid
/// policy stops the start with the file and every error; a valid relative one is found in the content root.
/// </summary>
public sealed class StartupTests
{
    private static readonly string ServerDll = Path.Combine(SampleServer.Directory, "McpServer.dll");

    [Fact]
    public async Task A_missing_policy_stops_the_start_saying_where_it_was_looked_for()
    {
        var (exitCode, stderr) = await RunUntilExitAsync("--policy", "no-such-policy.json");

        Assert.Equal(1, exitCode);
        var expected = Path.Combine(Path.GetFullPath(SampleServer.Directory), "no-such-policy.json");
        Assert.Contains($"The policy file {expected} does not exist: the relative path 'no-such-policy.json' is resolved against the host's content root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_policy_stops_the_start_naming_the_file_and_every_error()
    {
        using var policy = new TempPolicyFile("""
            {
              "version": "1",
              "tools": { "get_price": { "deny_if": [ { "conditons": [] } ] } },
              "bogus": true
            }
            """);

        var (exitCode, stderr) = await RunUntilExitAsync("--policy", policy.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("Hosting failed to start", stderr, StringComparison.Ordinal);

        // The exception (and the log) names the file and lists every error in the order of the file.
        var p = policy.Path;
        string[] lines =
        [
            $"PolicyEngine.PolicyValidationException: The policy file {p} has 4 error(s):",
            $"{p}:1:1: /default: A policy document needs 'default'.",
            $"{p}:3:42: /tools/get_price/deny_if/0/conditions: An entry of 'deny_if' needs 'conditions'.",
            $"{p}:3:44: /tools/get_price/deny_if/0/conditons: Unknown key 'conditons' in an entry of 'deny_if'; allowed: conditions, on_deny.",
            $"{p}:4:3: /bogus: Unknown key 'bogus' in the document",
        ];
        var at = 0;
        foreach (var line in lines)
        {
            at = stderr.IndexOf(line, at, StringComparison.Ordinal);
            Assert.True(at >= 0, $"Not found in order: {line}\n{stderr}");
        }
    }

    [Fact]
    public async Task A_valid_relative_policy_is_read_from_the_content_root_not_the_working_directory()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "sample-server-from-root",
            Command = "dotnet",
            Arguments = [ServerDll, "--policy", "policy.json"],
            WorkingDirectory = "/",
        });

        await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var hiddenCall = await client.CallToolAsync("admin_rotate_keys", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains("get_price", tools.Select(t => t.Name));
        Assert.DoesNotContain("admin_rotate_keys", tools.Select(t => t.Name));
        Assert.True(McpPolicyResults.IsPolicyResult(hiddenCall));
    }

    private static async Task<(int ExitCode, string StandardError)> RunUntilExitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            // A server that does not stop by itself has started despite the policy: bounded, then a failure.
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
