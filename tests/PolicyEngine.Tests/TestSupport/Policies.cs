namespace PolicyEngine.Tests.TestSupport;

/// <summary>Small policy documents shared by the tests.</summary>
internal static class Policies
{
    public const string DenyAll = """{ "version": "1", "default": "deny" }""";

    public const string AllowAll = """{ "version": "1", "default": "allow" }""";

    public const string OneCallPerMinute = """
        { "version": "1", "default": "deny",
          "tools": { "ping": { "rate_limit": { "max": 1, "window": "1m" } } } }
        """;

    /// <summary>Not a valid document: the typo <c>defualt</c> is an unknown key and <c>default</c> is missing.</summary>
    public const string Typo = """{ "version": "1", "defualt": "allow" }""";
}
