using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using PolicyEngine.ModelContextProtocol;

namespace PolicyEngine.Samples.McpServer;

/// <summary>
/// The sample over MCP Streamable HTTP (<c>--http</c>). Stateful by default: every client gets an MCP session, and that
/// session is its engine session (its own limits and approvals). <c>--stateless</c> serves each request on its own, for
/// replicas behind a load balancer without affinity: a caller's engine session is then its user
/// (<c>--user-header NAME</c>: the name of a header that an authenticating gateway in front sets; calls without it are
/// refused), or, for anonymous callers, one session that all of them share.
/// </summary>
internal sealed partial class HttpServer
{
    /// <summary>The engine session of every anonymous call to a stateless server: fixed, so that replicas sharing state agree on it.</summary>
    public const string AnonymousSession = "http-anonymous";

    private readonly string? _urls;
    private readonly bool _stateless;
    private readonly string? _userHeader;
    private WebApplicationBuilder? _builder;

    private HttpServer(string? urls, bool stateless, string? userHeader)
    {
        _urls = urls;
        _stateless = stateless;
        _userHeader = userHeader;
    }

    public static HttpServer FromArguments(string[] args) => new(
        Arguments.Option(args, "--urls"),
        args.Contains("--stateless", StringComparer.Ordinal),
        Arguments.Option(args, "--user-header"));

    public IHostApplicationBuilder CreateBuilder()
    {
        // No command-line arguments: ours are flags without values, which the configuration parser would misread.
        _builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (_urls is not null)
        {
            _builder.WebHost.UseUrls(_urls);
        }

        if (_userHeader is not null)
        {
            _builder.Services.AddAuthentication(TrustedUserHeader.SchemeName)
                .AddScheme<TrustedUserHeaderOptions, TrustedUserHeader>(TrustedUserHeader.SchemeName, o => o.HeaderName = _userHeader);
            _builder.Services.AddAuthorization();
        }

        return _builder;
    }

    public void ConfigurePolicy(McpPolicyOptions options)
    {
        if (_stateless)
        {
            // Not a random id per process: replicas on one store then put anonymous callers in one session, not one each.
            options.ProcessSessionId = AnonymousSession;
        }
    }

    public void AddTransport(IMcpServerBuilder mcp) =>
        mcp.WithHttpTransport(o => o.SessionMode = _stateless ? HttpServerSessionMode.Stateless : HttpServerSessionMode.Stateful);

    public IHost Build()
    {
        var app = (_builder ?? throw new InvalidOperationException("CreateBuilder first.")).Build();
        if (_userHeader is null)
        {
            app.MapMcp();
            return app;
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMcp().RequireAuthorization();
        return app;
    }

    /// <summary>Says where the server listens and, for a stateless server open to anonymous callers, what that does to sessions.</summary>
    public void Started(IHost host, bool sharedState)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PolicyEngine.Samples.McpServer");
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (_stateless && _userHeader is null)
        {
            LogAnonymousShareOneSession(logger, AnonymousSession);
        }

        // Last: whoever waits for this line (a test, a script) has read every line before it.
        LogListening(logger, string.Join(", ", addresses), _stateless ? "stateless" : "stateful", sharedState ? "shared (Redis)" : "in memory");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "MCP Streamable HTTP on {Addresses} ({Mode}); limits and approvals {State}.")]
    private static partial void LogListening(ILogger logger, string addresses, string mode, string state);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message =
        "Stateless HTTP with anonymous callers: all of them share one engine session ('{Session}'), so per-session limits " +
        "and approvals are global to every caller. Identify callers (--user-header behind an authenticating gateway) or run stateful.")]
    private static partial void LogAnonymousShareOneSession(ILogger logger, string session);
}
