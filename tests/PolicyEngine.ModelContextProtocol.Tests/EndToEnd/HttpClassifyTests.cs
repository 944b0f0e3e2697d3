using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace PolicyEngine.ModelContextProtocol.Tests.EndToEnd;

/// <summary><c>policyengine classify --url</c> against a Streamable HTTP MCP server on a loopback port.</summary>
public sealed class HttpClassifyTests
{
    [Fact]
    public async Task Classify_lists_and_classifies_the_tools_of_a_Streamable_HTTP_server()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<HttpTools>();
        await using var app = builder.Build();
        app.MapMcp();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var run = await DotnetProcess.RunAsync(Path.Combine(DotnetProcess.Directory("CliDirectory"), "policyengine.dll"), "classify", "--json", "--url", address + "/");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var entries = JsonElement.Parse(run.Stdout).EnumerateArray().ToDictionary(e => e.GetProperty("tool").GetString()!, e => e.GetProperty("risk").GetString());
        Assert.Equal(2, entries.Count);
        Assert.Equal("low", entries["get_weather"]);
        Assert.Equal("critical", entries["refund_payment"]);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [McpServerToolType]
    private sealed class HttpTools
    {
        [McpServerTool(Name = "get_weather"), Description("Gets the weather of a city.")]
        public static string GetWeather(string city) => city;

        [McpServerTool(Name = "refund_payment"), Description("Refunds a payment.")]
        public static string RefundPayment(string payment, decimal amount) => payment + amount;
    }
}
