using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// The store's Lua scripts (Scripts/*.lua, embedded): each is the shared helpers followed by its own body. They run with
/// <see cref="IDatabaseAsync.ScriptEvaluateAsync(string, RedisKey[], RedisValue[], CommandFlags)"/>, which sends
/// <c>EVALSHA</c> once the script is known to the server and the whole script when it is not. A script cache lost since
/// (<c>SCRIPT FLUSH</c>, a restart, a failover to a replica that never saw it) answers <c>NOSCRIPT</c>: the call is sent
/// again once, as <c>EVAL</c> with the script's text, which loads it for the calls after it.
/// </summary>
internal static class RedisScripts
{
    public static readonly string Acquire = Compose("Acquire");
    public static readonly string Refund = Compose("Refund");
    public static readonly string Approve = Compose("Approve");
    public static readonly string Deny = Compose("Deny");
    public static readonly string Revoke = Compose("Revoke");
    public static readonly string List = Compose("List");

    public static async Task<RedisResult> RunAsync(IDatabaseAsync database, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ScriptEvaluateAsync(script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // EVAL with the text: runs the script and loads it again, whatever the client believed was cached.
            return await database.ExecuteAsync("EVAL", Arguments(script, keys, values)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object[] Arguments(string script, RedisKey[] keys, RedisValue[] values)
    {
        var arguments = new object[2 + keys.Length + values.Length];
        arguments[0] = script;
        arguments[1] = keys.Length;
        keys.CopyTo(arguments, 2);
        for (int i = 0; i < values.Length; i++)
        {
            arguments[2 + keys.Length + i] = values[i];
        }

        return arguments;
    }

    private static string Compose(string name) => Read("Common") + Read("Counters") + Read("Approvals") + Read(name);

    private static string Read(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"PolicyEngine.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd() + "\n";
    }
}
