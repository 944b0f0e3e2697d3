using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using PolicyEngine;
using PolicyEngine.Redis;
using PolicyEngine.Samples.McpServer;

// An MCP server whose every tool call is decided by policy.json (reloaded when the file changes), over stdio by default.
// Options: --policy PATH (default: policy.json in this project's folder), --decision-log PATH (JSON Lines),
// --elicit-approvals (ask the client's user through MCP elicitation when a call needs approval),
// --redis CONNECTION (limits and approvals shared with every replica; also the setting PolicyEngine:Redis, with
// PolicyEngine:RedisTimeout, e.g. 00:00:00.250, for how long a decision waits for Redis before it is state_unavailable).
// Over Streamable HTTP: --http [--urls http://127.0.0.1:5100] [--stateless] [--user-header NAME]; see HttpServer.cs.
var policyFile = Arguments.Option(args, "--policy") ?? DefaultPolicyFile();
var decisionLog = Arguments.Option(args, "--decision-log");
var elicit = args.Contains("--elicit-approvals", StringComparer.Ordinal);
var http = args.Contains("--http", StringComparer.Ordinal) ? HttpServer.FromArguments(args) : null;

// Desktop clients start a stdio server in a working directory of their choosing (often /): the content root, against
// which a relative policy path and appsettings.json are resolved, is the application's folder instead.
IHostApplicationBuilder builder = http?.CreateBuilder() ?? Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });

// Under stdio, stdout carries the protocol: every log line goes to stderr (over HTTP too, for one place to look).
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

if (decisionLog is not null)
{
    builder.Services.AddSingleton(_ => new PolicyTelemetry(PolicyDecisionLogger.AppendToFile(decisionLog)));
}

// Limits and approvals shared with every replica that uses the same Redis; without it, kept in this process.
var redis = Arguments.Option(args, "--redis") ?? builder.Configuration["PolicyEngine:Redis"];
var redisTimeout = builder.Configuration.GetValue<TimeSpan?>("PolicyEngine:RedisTimeout");
builder.Services.AddPolicyEngine(engine =>
{
    engine.FromFile(policyFile, watch: true);
    if (!string.IsNullOrWhiteSpace(redis))
    {
        engine.UseRedis(redis, o => o.Timeout = redisTimeout ?? o.Timeout);
    }
});

var mcp = builder.Services
    .AddMcpServer(o => o.ServerInfo = new() { Name = "policyengine-sample-trading", Version = "1.0.0" })
    .WithToolsFromAssembly()
    .WithPolicyEngine(o =>
    {
        o.ApproveThroughElicitation = elicit;
        http?.ConfigurePolicy(o);
    });
if (http is null)
{
    mcp.WithStdioServerTransport();
}
else
{
    http.AddTransport(mcp);
}

using var host = http?.Build() ?? ((HostApplicationBuilder)builder).Build();

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

http?.Started(host, sharedState: !string.IsNullOrWhiteSpace(redis));
var watcher = host.Services.GetRequiredService<PolicyFileWatcher>();
watcher.ReloadFailed += (_, e) => Console.Error.WriteLine($"policy rejected: {e.Errors.Count} error(s); keeping the last good policy");
await host.WaitForShutdownAsync();
return 0;

static string DefaultPolicyFile()
{
    var inProject = typeof(TradingTools).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "PolicyFile")?.Value;
    return inProject is not null && File.Exists(inProject) ? inProject : "policy.json";
}
