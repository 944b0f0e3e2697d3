using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PolicyEngine.Samples.McpServer;

/// <summary>
/// Takes the caller's user id from a header set by an authenticating gateway in front of the server (oauth2-proxy's
/// <c>X-Auth-Request-User</c>, for example). Only safe when nothing but that gateway can reach the server: anyone who can
/// send the header can claim any user. The id becomes the <see cref="ClaimTypes.NameIdentifier"/> claim, which the
/// policy sees as <c>context.user</c> and which names the engine session of a stateless server's calls.
/// </summary>
internal sealed class TrustedUserHeader(IOptionsMonitor<TrustedUserHeaderOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<TrustedUserHeaderOptions>(options, logger, encoder)
{
    public const string SchemeName = "TrustedUserHeader";

    private const int MaxLength = 256;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[Options.HeaderName];
        if (values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1 || values[0] is not { Length: > 0 and <= MaxLength } user)
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {Options.HeaderName} header must hold one user id of at most {MaxLength} characters."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

internal sealed class TrustedUserHeaderOptions : AuthenticationSchemeOptions
{
    /// <summary>The header the gateway sets.</summary>
    public string HeaderName { get; set; } = "";
}
