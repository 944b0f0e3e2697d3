using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace PolicyEngine.Tests.Cli;

/// <summary>What one run of the command printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The non-blank stdout lines, as run_cases.py reads them.</summary>
    public IReadOnlyList<string> Lines => Stdout.Split('\n').Where(l => l.Trim().Length > 0).ToList();
}

/// <summary>
/// Runs the built <c>policyengine.dll</c> as a child process, as shared/tools/run_cases.py does. The test project
/// references the CLI project without its assembly, so the CLI is built before the tests; the dll is found under
/// the repository root (the folder holding PolicyEngine.sln) for the tests' own configuration.
/// </summary>
internal static class CliProcess
{
    /// <summary>The test collection of every class that starts the command: they run one process at a time.</summary>
    public const string Collection = "policyengine command";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly Lazy<string> Dll = new(FindDll);

    public static CliResult Run(params string[] arguments) => RunWithInput("", arguments);

    /// <summary>Runs the command with <paramref name="stdin"/> as its standard input.</summary>
    public static CliResult RunWithInput(string stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll.Value);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // Writes are small enough for the pipe buffer, so writing before reading cannot deadlock.
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();

        // Both streams are drained at once: a child blocked on a full stderr pipe would never exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"policyengine {string.Join(' ', arguments)} ran longer than {Timeout}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindDll()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PolicyEngine.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No PolicyEngine.sln above {AppContext.BaseDirectory}.");
        }

        var configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var dll = Path.Combine(root.FullName, "src", "PolicyEngine.Cli", "bin", configuration, framework, "policyengine.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The command is not built: {dll}", dll);
    }
}

/// <summary>A temporary folder for the files a run reads; deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "policyengine-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes UTF-8 text without a byte order mark and returns the file's path.</summary>
    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text, new UTF8Encoding(false));
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
