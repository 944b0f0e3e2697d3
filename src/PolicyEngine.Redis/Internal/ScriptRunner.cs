using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// Runs the store's operations: as functions of the library (<c>FCALL</c>) where the server has functions (Redis 7 and
/// later), else as scripts (<c>EVALSHA</c>). A server that does not know the library (first use, a restart without
/// persistence, <c>FUNCTION FLUSH</c>) is given it, and the call sent again. A server without functions, or one that
/// refuses <c>FUNCTION LOAD</c> (an ACL), turns this runner to scripts for the store's lifetime: slower, never wrong.
/// </summary>
internal sealed class ScriptRunner(IConnectionMultiplexer connection, bool useFunctions)
{
    private volatile bool _functions = useFunctions;

    /// <summary>Whether calls go to functions (false after a server showed it has none); tests read it.</summary>
    public bool UsesFunctions => _functions;

    /// <summary>Runs an operation; a lost library or script is loaded again, and the call sent again.</summary>
    public async Task<RedisResult> RunAsync(RedisScripts.Script script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await StartAsync(script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (CanRecover(ex))
        {
            return await RecoverAsync(ex, script, keys, values, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends an operation once, as a function or a script, and returns StackExchange.Redis's own task: the hot path awaits
    /// it in its own method (one state machine fewer a call), and hands an error for which <see cref="CanRecover"/> holds
    /// to <see cref="RecoverAsync"/>.
    /// </summary>
    public Task<RedisResult> StartAsync(RedisScripts.Script script, RedisKey[] keys, RedisValue[] values)
    {
        return _functions ? CallAsync(FunctionArguments(script, keys, values)) : connection.GetDatabase().ScriptEvaluateAsync(script.Hash, keys, values);
    }

    /// <summary>
    /// Sends an operation as a function with its <c>FCALL</c> arguments already made (AcquireCall.FunctionArguments), when
    /// <see cref="UsesFunctions"/>; the caller handles errors as after <see cref="StartAsync"/>.
    /// </summary>
    public Task<RedisResult> CallAsync(object[] arguments) => connection.GetDatabase().ExecuteAsync("FCALL", arguments);

    /// <summary>An answer that loading the library or the script again, or turning to scripts, may cure.</summary>
    public static bool CanRecover(RedisServerException ex) => LibraryMissing(ex) || ScriptMissing(ex) || NoFunctions(ex);

    /// <summary>
    /// The slow path after <see cref="StartAsync"/> failed with <paramref name="error"/>: a server that lost the library is
    /// given it and called again; a server without functions turns this runner to scripts for good; a lost script is sent
    /// as its text (Redis caches it again).
    /// </summary>
    public async Task<RedisResult> RecoverAsync(RedisServerException error, RedisScripts.Script script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var database = connection.GetDatabase();
        if (LibraryMissing(error))
        {
            if (await LoadLibraryAsync(cancellationToken).ConfigureAwait(false))
            {
                return await CallAsync(FunctionArguments(script, keys, values)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        else if (NoFunctions(error))
        {
            _functions = false;
        }

        if (!ScriptMissing(error))
        {
            try
            {
                return await database.ScriptEvaluateAsync(script.Hash, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ScriptMissing(ex))
            {
                // lost as well: sent as its text below
            }
        }

        return await database.ScriptEvaluateAsync(script.Text, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>FCALL</c>'s arguments from a script call's keys and values (boxed here; the acquire hot path boxes once per counter).</summary>
    private static object[] FunctionArguments(RedisScripts.Script script, RedisKey[] keys, RedisValue[] values)
    {
        // RedisKey arguments route the call to the keys' slot on a cluster, and take the connection's key prefix.
        var arguments = new object[2 + keys.Length + values.Length];
        arguments[0] = script.Function;
        arguments[1] = keys.Length;
        for (int i = 0; i < keys.Length; i++)
        {
            arguments[2 + i] = keys[i];
        }

        for (int i = 0; i < values.Length; i++)
        {
            arguments[2 + keys.Length + i] = values[i];
        }

        return arguments;
    }

    private static bool LibraryMissing(RedisServerException ex) => ex.Message.Contains("Function not found", StringComparison.OrdinalIgnoreCase);

    private static bool ScriptMissing(RedisServerException ex) => ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    /// <summary>
    /// Loads the library on every connected primary (a cluster's keys of one prefix live on one, but which one can change).
    /// Returns false, and turns the runner to scripts, when a server refuses functions.
    /// </summary>
    private async Task<bool> LoadLibraryAsync(CancellationToken cancellationToken)
    {
        foreach (var server in connection.GetServers())
        {
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            try
            {
                await server.ExecuteAsync("FUNCTION", ["LOAD", RedisScripts.Library]).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                // Another replica, or another call of this one, loaded it first.
            }
            catch (RedisServerException ex) when (NoFunctions(ex))
            {
                _functions = false;
                return false;
            }
        }

        return true;
    }

    /// <summary>Redis before 7 (no FCALL, no FUNCTION), or an ACL that forbids them.</summary>
    private static bool NoFunctions(RedisServerException ex) =>
        ex.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("unknown subcommand", StringComparison.OrdinalIgnoreCase)
        || ex.Message.StartsWith("NOPERM", StringComparison.Ordinal);
}
