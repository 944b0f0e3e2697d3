using System.Security.Claims;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol;

public sealed class SessionTests
{
    private static readonly ClaimsPrincipal Alice = new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "test"));

    [Fact]
    public void The_transports_session_wins()
    {
        Assert.Equal("http-session-1", McpPolicyFilter.SessionOf("http-session-1", Alice, "process"));
    }

    [Fact]
    public void Without_a_transport_session_an_authenticated_user_is_the_session()
    {
        Assert.Equal("user:alice", McpPolicyFilter.SessionOf(null, Alice, "process"));
        Assert.Equal("user:bob", McpPolicyFilter.SessionOf("", new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bob")], "jwt")), "process"));
    }

    [Fact]
    public void An_anonymous_caller_without_a_transport_session_shares_the_process_session()
    {
        Assert.Equal("process", McpPolicyFilter.SessionOf(null, null, "process"));

        // Claims without authentication prove nothing.
        Assert.Equal("process", McpPolicyFilter.SessionOf(null, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "eve")])), "process"));
    }
}
