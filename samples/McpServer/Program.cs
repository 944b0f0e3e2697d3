using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PolicyEngine;

// A stdio MCP server whose every tool call is decided by policy.json (reloaded when the file changes).
// Options: --policy PATH (default: policy.json in this project's folder), --decision-log PATH (JSON Lines),
// --elicit-approvals (ask the client's user through MCP elicitation when a call needs approval).
var policyFile = Option(args, "--policy") ?? DefaultPolicyFile();
var decisionLog = Option(args, "--decision-log");
var elicit = args.Contains("--elicit-approvals", StringComparer.Ordinal);

// Desktop clients start a stdio server in a working directory of their choosing (often /): the content root, against
// which a relative policy path is resolved, is the application's folder instead.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });

// stdout carries the protocol: every log line goes to stderr.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

if (decisionLog is not null)
{
    builder.Services.AddSingleton(_ => new PolicyTelemetry(PolicyDecisionLogger.AppendToFile(decisionLog)));
}

builder.Services
    .AddMcpServer(o => o.ServerInfo = new() { Name = "policyengine-sample-trading", Version = "1.0.0" })
    .WithStdioServerTransport()
    .WithToolsFromAssembly()
    .WithPolicyEngine(policyFile, o => o.ApproveThroughElicitation = elicit);

using var host = builder.Build();

// The policy is loaded and validated as the host starts: a missing or invalid file stops the start here, logged with
// every FILE:LINE:COL: POINTER: message, and the process exits 1 instead of serving calls it cannot decide.
try
{
    await host.StartAsync();
}
catch (Exception e) when (e is PolicyValidationException or FileNotFoundException)
{
    return 1;
}

var watcher = host.Services.GetRequiredService<PolicyFileWatcher>();
watcher.ReloadFailed += (_, e) => Console.Error.WriteLine($"policy rejected: {e.Errors.Count} error(s); keeping the last good policy");
await host.WaitForShutdownAsync();
return 0;

static string? Option(string[] args, string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string DefaultPolicyFile()
{
    var inProject = typeof(PolicyEngine.Samples.McpServer.TradingTools).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "PolicyFile")?.Value;
    return inProject is not null && File.Exists(inProject) ? inProject : "policy.json";
}
