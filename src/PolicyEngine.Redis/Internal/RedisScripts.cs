using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// The store's Lua scripts (Scripts/*.lua, embedded): each is the shared helpers followed by its own body. They run with
/// <see cref="IDatabaseAsync.ScriptEvaluateAsync(string, RedisKey[], RedisValue[], CommandFlags)"/> (not LoadedLuaScript, which
/// sends only the hash): StackExchange.Redis sends <c>EVALSHA</c> once it has seen the script, and when the server has lost
/// its script cache (<c>SCRIPT FLUSH</c>, a restart, a failover to a replica that never saw it) and answers
/// <c>NOSCRIPT</c>, it sends the call again as <c>EVAL</c> with the text, which loads it for the calls after it.
/// ScriptCacheTests checks both on a real server.
/// </summary>
internal static class RedisScripts
{
    public static readonly string Acquire = Compose("Acquire");
    public static readonly string Refund = Compose("Refund");
    public static readonly string Approve = Compose("Approve");
    public static readonly string Deny = Compose("Deny");
    public static readonly string Revoke = Compose("Revoke");
    public static readonly string List = Compose("List");

    public static Task<RedisResult> RunAsync(IDatabaseAsync database, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken) =>
        database.ScriptEvaluateAsync(script, keys, values).WaitAsync(cancellationToken);

    private static string Compose(string name) => Read("Common") + Read("Counters") + Read("Approvals") + Read(name);

    private static string Read(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"PolicyEngine.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd() + "\n";
    }
}
