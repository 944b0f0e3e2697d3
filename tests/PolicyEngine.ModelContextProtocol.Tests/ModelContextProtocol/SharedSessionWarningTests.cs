using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

/// <summary>
/// Any HTTP server under <c>WithPolicyEngine</c>, not only the sample: the first call that falls back to the process
/// session because it has neither an MCP session nor a user is warned about, once.
/// </summary>
public sealed class SharedSessionWarningTests
{
    private const string Warning = "all such calls share the engine session";

    private static readonly McpServerTool Ping = McpServerTool.Create(() => "pong", new() { Name = "ping", Description = "Answers pong." });

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Anonymous_calls_without_a_session_are_warned_about_once(bool stateless, int warnings)
    {
        var log = new CapturingLogger();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new Provider(log));
        builder.Services.AddPolicyEngine(e => e.FromJson("""{ "version": "1", "default": "allow" }"""));
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = stateless).WithTools([Ping]).WithPolicyEngine();
        await using var app = builder.Build();
        app.MapMcp();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        await using (var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(address + "/") }), cancellationToken: TestContext.Current.CancellationToken))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.NotEqual(true, (await client.CallToolAsync("ping", cancellationToken: TestContext.Current.CancellationToken)).IsError);
            }
        }

        Assert.Equal(warnings, log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains(Warning, StringComparison.Ordinal)));
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private sealed class Provider(CapturingLogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
