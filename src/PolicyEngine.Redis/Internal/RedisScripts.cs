using System.Security.Cryptography;
using System.Text;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// The store's Lua (Scripts/*.lua, embedded), in two forms. On Redis 7 and later it is one function library, loaded once
/// per server (<see cref="Library"/>, <c>FUNCTION LOAD</c>) and called with <c>FCALL</c>: its helper functions are made
/// when the library loads, where a script makes all of its functions again on every run, which was a quarter of a
/// decision's time in Redis. Elsewhere (Redis 6, or a server that refuses functions) each operation is a script:
/// Common.lua and the parts it needs, then its body, sent with <c>EVALSHA</c> by a SHA-1 computed once here
/// (StackExchange.Redis, given the text, would hash the 10 KB text again on every call). A server that lost the library
/// or the script (a restart, <c>FUNCTION FLUSH</c>, <c>SCRIPT FLUSH</c>, a failover) is given it again (ScriptRunner).
/// </summary>
internal static class RedisScripts
{
    public static readonly Script Acquire = Compose("acquire", "Acquire", "Counters");
    public static readonly Script AcquireGrant = Compose("acquire_grant", "AcquireGrant", "Counters", "Approvals");
    public static readonly Script Refund = Compose("refund", "Refund", "Counters");
    public static readonly Script Approve = Compose("approve", "Approve", "Approvals");
    public static readonly Script Deny = Compose("deny", "Deny", "Approvals");
    public static readonly Script Revoke = Compose("revoke", "Revoke", "Approvals");
    public static readonly Script List = Compose("list", "List", "Approvals");

    private static readonly Script[] All = [Acquire, AcquireGrant, Refund, Approve, Deny, Revoke, List];

    /// <summary>The library's version: the first 12 hex digits of its text's SHA-1, in its name and its functions' names,
    /// so that replicas of two releases, each with its own library, share a server without replacing each other's.</summary>
    public static readonly string Version = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(LibraryBody())))[..12];

    /// <summary>The function library: every helper once, then each operation registered as a function.</summary>
    public static readonly string Library = "#!lua name=policyengine_" + Version + "\nlocal VERSION = '" + Version + "'\n" + LibraryBody();

    /// <summary>Common.lua and the parts a script needs: a script defines all of its functions again on every run.</summary>
    private static Script Compose(string name, string body, params string[] parts)
    {
        string text = Read("Common") + string.Concat(parts.Select(Read)) + "bind()\n" + Read(body);
        return new Script(name, body, text, SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // The bodies read KEYS and ARGV, globals in a script; in the library they are its locals, which each function sets
    // before its body runs (Redis runs one function at a time). Common.lua's bind() makes Lua's functions locals: a
    // script calls it on every run, the library on its first call (FUNCTION LOAD cannot reach them).
    private static string LibraryBody() =>
        "local KEYS, ARGV\n" + Read("Common") + Read("Counters") + Read("Approvals")
        + string.Concat(All.Select(s => "redis.register_function('policyengine_" + s.Name + "_' .. VERSION, function(keys, args)\n"
            + "KEYS, ARGV = keys, args\nif not call then bind() end\n" + Read(s.Body) + "end)\n"));

    private static string Read(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"PolicyEngine.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd() + "\n";
    }

    /// <summary>An operation: its name, its body, its script's text and SHA-1, and its function's name in the library.</summary>
    internal sealed record Script(string Name, string Body, string Text, byte[] Hash)
    {
        private string? _function;

        /// <summary>Named once (it needs <see cref="Version"/>, which is computed from every operation's body).</summary>
        public string Function => _function ??= "policyengine_" + Name + "_" + Version;
    }
}
