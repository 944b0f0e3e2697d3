using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PolicyEngine.Redis.Tests.TestSupport;

namespace PolicyEngine.Redis.Tests.Replicas;

/// <summary>
/// The same limit held by three separate processes (tests/PolicyEngine.Redis.ReplicaProcess), each with 16 callers:
/// nothing is shared between them but Redis, and together they allow exactly <c>max</c>.
/// </summary>
public sealed partial class ReplicaProcessTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Processes = 3;
    private const int CallsPerProcess = 64;
    private const int Max = 50;

    [Fact]
    public async Task Three_processes_with_16_callers_each_allow_exactly_max_together()
    {
        redis.Require();
        var replica = ReplicaProcess.Locate();
        var policy = Path.Combine(Path.GetTempPath(), $"pe-replica-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(policy, $$"""{"version":"1","default":"deny","tools":{"pay":{"limits":[{"max":{{Max}},"window":3600,"cost":"args.amount"}] } } }""",
            TestContext.Current.CancellationToken);
        string prefix = RedisFixture.NewPrefix();

        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < Processes; i++)
            {
                var start = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var argument in new[] { replica, redis.EndPoint!, policy, CallsPerProcess.ToString(CultureInfo.InvariantCulture), prefix })
                {
                    start.ArgumentList.Add(argument);
                }

                processes.Add(Process.Start(start)!);
            }

            // Connected and ready, all of them; then released together.
            foreach (var process in processes)
            {
                var line = await ReadLineAsync(process);
                if (line != "ready")
                {
                    Assert.Fail($"a replica process said '{line}' instead of 'ready': {await process.StandardError.ReadToEndAsync(Ct)}");
                }
            }

            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync(ReadOnlyMemory<char>.Empty, Ct);
                await process.StandardInput.FlushAsync(Ct);
            }

            int allowed = 0, limited = 0;
            foreach (var process in processes)
            {
                var line = await ReadLineAsync(process) ?? "";
                var match = Decided().Match(line);
                if (!match.Success)
                {
                    Assert.Fail($"a replica process said '{line}': {await process.StandardError.ReadToEndAsync(Ct)}");
                }

                Assert.Equal("0", match.Groups["other"].Value);
                allowed += int.Parse(match.Groups["allowed"].Value, CultureInfo.InvariantCulture);
                limited += int.Parse(match.Groups["limited"].Value, CultureInfo.InvariantCulture);
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, process.ExitCode);
            }

            Assert.Equal(Max, allowed);
            Assert.Equal(Processes * CallsPerProcess - Max, limited);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }

            File.Delete(policy);
        }
    }

    private static async Task<string?> ReadLineAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        return await process.StandardOutput.ReadLineAsync(timeout.Token);
    }

    [GeneratedRegex("^decided allowed=(?<allowed>[0-9]+) rate_limited=(?<limited>[0-9]+) other=(?<other>[0-9]+)$")]
    private static partial Regex Decided();
}

/// <summary>Finds the replica program built beside the tests, building it first if it is not there yet.</summary>
internal static class ReplicaProcess
{
    private static readonly Lock Gate = new();

    public static string Locate()
    {
        // The tests run from tests/PolicyEngine.Redis.Tests/bin/CONFIGURATION/TFM/; the program builds to the same layout.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = output.Name, configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!;
        var project = Path.Combine(tests.Parent!.FullName, "PolicyEngine.Redis.ReplicaProcess");
        var dll = Path.Combine(project, "bin", configuration, framework, "PolicyEngine.Redis.ReplicaProcess.dll");
        lock (Gate)
        {
            if (!File.Exists(dll))
            {
                using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "--nologo", "-v", "q"]) { UseShellExecute = false })!;
                build.WaitForExit();
                Assert.True(build.ExitCode == 0 && File.Exists(dll), $"could not build {project}");
            }
        }

        return dll;
    }
}
