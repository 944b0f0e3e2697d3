namespace PolicyEngine.Samples.McpServer;

internal static class Arguments
{
    /// <summary>The value after <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
