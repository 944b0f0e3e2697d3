using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// The store's Lua scripts (Scripts/*.lua, embedded): each is Common.lua and the parts it needs, followed by its own
/// body. A call sends <c>EVALSHA</c> with the script's SHA-1, computed once here (StackExchange.Redis, given the text,
/// would hash the 10 KB text again on every call to find it in its cache). When the server has lost its script cache
/// (<c>SCRIPT FLUSH</c>, a restart, a failover to a replica that never saw it) and answers <c>NOSCRIPT</c>, the call is
/// sent again with the text, which StackExchange.Redis sends as <c>EVAL</c> and which loads it for the calls after it.
/// ScriptCacheTests checks both on a real server.
/// </summary>
internal static class RedisScripts
{
    public static readonly Script Acquire = Compose("Acquire", "Counters", "Acquire");
    public static readonly Script AcquireGrant = Compose("AcquireGrant", "Counters", "Approvals", "AcquireGrant");
    public static readonly Script Refund = Compose("Refund", "Counters", "Refund");
    public static readonly Script Approve = Compose("Approve", "Approvals", "Approve");
    public static readonly Script Deny = Compose("Deny", "Approvals", "Deny");
    public static readonly Script Revoke = Compose("Revoke", "Approvals", "Revoke");
    public static readonly Script List = Compose("List", "Approvals", "List");

    public static async Task<RedisResult> RunAsync(IDatabaseAsync database, Script script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ScriptEvaluateAsync(script.Hash, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(script.Text, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Common.lua and the parts a script needs: a script defines all of its functions again on every run.</summary>
    private static Script Compose(string name, params string[] parts)
    {
        string text = Read("Common") + string.Concat(parts.Select(Read));
        return new Script(name, text, SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Read(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"PolicyEngine.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd() + "\n";
    }

    /// <summary>A script's text and its SHA-1, the name Redis caches it under.</summary>
    internal sealed record Script(string Name, string Text, byte[] Hash);
}
