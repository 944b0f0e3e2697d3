using PolicyEngine.Redis.Internal;
using StackExchange.Redis;

namespace PolicyEngine.Redis;

/// <summary>
/// A <see cref="PolicyStateStore"/> in Redis, shared by every evaluator (replica) that uses the same Redis and
/// <see cref="RedisStateOptions.KeyPrefix"/>: limit counters and approvals, with the same decisions as in memory
/// (docs/policy-language.md#limits, #approvals). Each call is one Lua script and one round trip, whatever its number of limits: it checks every limit, then
/// spends on all of them and takes the call's grant, or changes nothing. Amounts are exact decimals, never doubles;
/// windows are measured in microseconds on Redis <c>TIME</c> (or the evaluator's clock, <see cref="RedisClock.Client"/>).
/// Every key has a TTL of what it holds plus a margin. Never blocks a thread: every member is asynchronous; the
/// evaluator bounds each wait with <see cref="Timeout"/> and denies with <c>state_unavailable</c> when Redis fails.
/// </summary>
public sealed class RedisStateStore : PolicyStateStore, IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly RedisStateOptions _options;
    private readonly RedisKeys _keys;
    private readonly ScriptRunner _scripts;

    /// <summary>Creates a store on a connection the caller owns (and disposes).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="options">Prefix, timeout and clock; <see langword="null"/> for the defaults. Checked and copied here;
    /// <see cref="RedisStateOptions.Configuration"/> is not used.</param>
    /// <exception cref="ArgumentException">An option is not valid.</exception>
    public RedisStateStore(IConnectionMultiplexer connection, RedisStateOptions? options = null)
        : this(connection, (options ?? new RedisStateOptions()).Validated(), ownsConnection: false)
    {
    }

    private RedisStateStore(IConnectionMultiplexer connection, RedisStateOptions options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options;
        _ownsConnection = ownsConnection;
        _keys = new RedisKeys(options.KeyPrefix);
        _scripts = new ScriptRunner(connection, options.UseFunctions);
    }

    /// <summary>
    /// Creates a store with a connection of its own, to <see cref="RedisStateOptions.Configuration"/>, which it disposes.
    /// A Redis that cannot be reached yet does not fail this: the store keeps trying to connect, and calls that need state
    /// are denied with <c>state_unavailable</c> until it answers.
    /// </summary>
    /// <param name="options">The options; <see cref="RedisStateOptions.Configuration"/> is required.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The configuration string or an option is not valid.</exception>
    public static RedisStateStore Connect(RedisStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validated = options.Validated();
        var configuration = ParseConfiguration(validated.Configuration);
        return new RedisStateStore(ConnectionMultiplexer.Connect(configuration), validated, ownsConnection: true);
    }

    /// <summary>Parses a configuration string, with a message that names the problem; fails fast rather than at the first call.</summary>
    internal static ConfigurationOptions ParseConfiguration(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis configuration string is empty: give one such as \"localhost:6379\".", nameof(configuration));
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The Redis configuration string \"{configuration}\" is not valid: {ex.Message}", nameof(configuration), ex);
        }

        if (parsed.EndPoints.Count == 0)
        {
            throw new ArgumentException($"The Redis configuration string \"{configuration}\" names no server (host:port).", nameof(configuration));
        }

        parsed.AbortOnConnectFail = false; // fail closed per call while Redis is down, rather than refuse to start
        if (parsed.DefaultDatabase is null or 0 && ReferenceEquals(parsed.CommandMap, CommandMap.Default))
        {
            // On a server with databases, StackExchange.Redis writes SELECT before every FCALL (it cannot know what an
            // unknown command does to the connection's database): one more command a decision, for Redis and the client.
            // This connection is the store's alone and only ever uses database 0, where every connection starts, so it
            // never needs SELECT. Not done when the configuration names another database or maps commands itself.
            parsed.CommandMap = CommandMap.Create(["SELECT"], available: false);
        }

        return parsed;
    }

    /// <inheritdoc/>
    public override TimeSpan Timeout => _options.Timeout;

    /// <inheritdoc/>
    public override TimeSpan BreakDuration => _options.BreakDuration;

    /// <summary>The clock this store measures time with.</summary>
    public RedisClock Clock => _options.Clock;

    /// <summary>Whether operations run as the library's functions (Redis 7 and later) rather than as scripts.</summary>
    internal bool UsesFunctionsForTests => _scripts.UsesFunctions;

    /// <summary>Whether the connection is up (tests check that disposing the store closes a connection it made).</summary>
    internal bool IsConnectedForTests => _connection.IsConnected;

    /// <inheritdoc/>
    public override ValueTask<StateVerdict> AcquireAsync(StateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Charges.Count == 0 && request.GrantId is null)
        {
            return new(StateVerdict.Acquired(null));
        }

        // A Task rather than a ValueTask's box: the evaluator bounds the wait with Task.WaitAsync, and AsTask of a task
        // is the task itself, where a box would need one more object and one more continuation.
        return new(AcquireFromRedisAsync(request, cancellationToken));
    }

    private async Task<StateVerdict> AcquireFromRedisAsync(StateRequest request, CancellationToken cancellationToken)
    {
        var script = AcquireCall.Script(request);
        RedisResult result;
        try
        {
            // The hot path (no grant, functions): FCALL's arguments from cached boxes. Awaited here rather than through
            // ScriptRunner.RunAsync, one state machine a decision instead of two; the evaluator bounds the wait (Timeout)
            // and observes cancellation.
            var sent = request.GrantId is null && _scripts.UsesFunctions
                ? _scripts.CallAsync(AcquireCall.FunctionArguments(request, _keys, script, NowArgument(request.Now)))
                : StartAcquire(request, script);
            result = await sent.ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ScriptRunner.CanRecover(ex))
        {
            var (keys, values) = AcquireCall.Build(request, _keys, Now(request.Now));
            result = await _scripts.RecoverAsync(ex, script, keys, values, cancellationToken).ConfigureAwait(false);
        }

        return AcquireCall.Read(request, result);
    }

    /// <inheritdoc/>
    public override async ValueTask RefundAsync(StateReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        int n = receipt.Charges.Count;
        if (n == 0)
        {
            return;
        }

        var keys = new RedisKey[2 * n];
        var values = new RedisValue[1 + (2 * n)];
        values[0] = n;
        for (int i = 0; i < n; i++)
        {
            var charge = receipt.Charges[i];
            (keys[2 * i], keys[(2 * i) + 1]) = _keys.Counter(in charge);
            values[1 + (2 * i)] = receipt.RecordedAt[i];
            values[2 + (2 * i)] = Amounts.Format(charge.Cost);
        }

        await _scripts.RunAsync(RedisScripts.Refund, keys, values, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async ValueTask<bool> ApproveAsync(string approvalId, string policyFingerprint, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(policyFingerprint);
        RedisKey[] keys = [_keys.Pending(approvalId), _keys.Grant(approvalId), _keys.Grants, _keys.AllPending, _keys.PendingExpiry];
        RedisValue[] values = [_keys.Tag, Now(now), approvalId, policyFingerprint, Microseconds.Of(ttl)];
        return (int)await _scripts.RunAsync(RedisScripts.Approve, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public override async ValueTask<bool> DenyAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        RedisKey[] keys = [_keys.Pending(approvalId), _keys.AllPending, _keys.PendingExpiry];
        RedisValue[] values = [_keys.Tag, Now(now), approvalId];
        return (int)await _scripts.RunAsync(RedisScripts.Deny, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public override async ValueTask<bool> RevokeAsync(string approvalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        RedisKey[] keys = [_keys.Grant(approvalId), _keys.Grants];
        RedisValue[] values = [_keys.Tag, Now(now), approvalId];
        return (int)await _scripts.RunAsync(RedisScripts.Revoke, keys, values, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public override async ValueTask<IReadOnlyList<PendingApproval>> GetPendingApprovalsAsync(string policyFingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyFingerprint);
        RedisKey[] keys = [_keys.AllPending];
        RedisValue[] values = [_keys.Tag, Now(now), policyFingerprint];
        var answer = (RedisResult[])(await _scripts.RunAsync(RedisScripts.List, keys, values, cancellationToken).ConfigureAwait(false))!;
        var list = new List<PendingApproval>((answer.Length - 1) / 9);
        for (int i = 1; i + 8 < answer.Length; i += 9)
        {
            list.Add(new PendingApproval(
                (string)answer[i]!, (string)answer[i + 1]!, (string)answer[i + 2]!, (string)answer[i + 3]!,
                AcquireCall.FromOptional((string)answer[i + 4]!), AcquireCall.FromOptional((string)answer[i + 5]!),
                new DateTimeOffset((long)answer[i + 6], TimeSpan.Zero), Microseconds.ToInstant((long)answer[i + 7]),
                (string)answer[i + 8]! == "1"));
        }

        return list;
    }

    /// <summary>Disposes the connection when the store made it (<see cref="Connect"/>); a connection given to it is the caller's.</summary>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    private Task<RedisResult> StartAcquire(StateRequest request, RedisScripts.Script script)
    {
        var (keys, values) = AcquireCall.Build(request, _keys, Now(request.Now));
        return _scripts.StartAsync(script, keys, values);
    }

    /// <summary><see cref="Now"/> boxed: on Redis TIME, one shared box.</summary>
    private object NowArgument(DateTimeOffset now) => _options.Clock == RedisClock.Client ? Now(now) : Boxes.Empty;

    /// <summary>The script's time argument: empty for Redis TIME, else the evaluator's clock in microseconds.</summary>
    private RedisValue Now(DateTimeOffset now) => _options.Clock == RedisClock.Client ? Microseconds.Of(now) : RedisValue.EmptyString;
}
