namespace PolicyEngine.Redis;

/// <summary>How a <see cref="RedisStateStore"/> connects, names its keys and fails. Checked when the store is built.</summary>
public sealed class RedisStateOptions
{
    /// <summary>The longest <see cref="KeyPrefix"/>.</summary>
    internal const int MaxPrefixLength = 64;

    /// <summary>
    /// A StackExchange.Redis configuration string (for example <c>localhost:6379</c>) for a store that connects by
    /// itself; <see langword="null"/> to use a connection given to the store (or, with <c>UseRedis</c>, the
    /// <c>IConnectionMultiplexer</c> of the container).
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The start of every key, inside one hash tag (<c>{policyengine}:…</c>): everything of one prefix lives in one cluster
    /// slot, so on a Redis Cluster it lives on one shard. Use a prefix per application (or per tenant) to spread them.
    /// At most 64 characters, none of them <c>{</c>, <c>}</c> or white space. Default <c>policyengine</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "policyengine";

    /// <summary>How long the evaluator waits for Redis before it denies with <c>state_unavailable</c>. Positive, or infinite. Default 100 ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After a failure, how long the evaluator denies calls that need state without asking Redis. Positive. Default 1 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Which clock measures windows and approval lifetimes. Default <see cref="RedisClock.Server"/>.</summary>
    public RedisClock Clock { get; set; } = RedisClock.Server;

    /// <summary>A checked copy.</summary>
    /// <summary>Whether to run as a function library where the server has functions (tests turn it off to run the scripts).</summary>
    internal bool UseFunctions { get; set; } = true;

    internal RedisStateOptions Validated()
    {
        string prefix = KeyPrefix ?? throw new ArgumentException("RedisStateOptions.KeyPrefix must be set.", nameof(KeyPrefix));
        if (prefix.Length is 0 or > MaxPrefixLength || prefix.AsSpan().IndexOfAny("{}") >= 0 || prefix.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                $"RedisStateOptions.KeyPrefix '{prefix}' is not valid: it must have 1 to {MaxPrefixLength} characters, none of them '{{', '}}' or white space.",
                nameof(KeyPrefix));
        }

        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan && Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "RedisStateOptions.Timeout must be positive or infinite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BreakDuration, TimeSpan.Zero, nameof(BreakDuration));
        if (!Enum.IsDefined(Clock))
        {
            throw new ArgumentOutOfRangeException(nameof(Clock), Clock, "RedisStateOptions.Clock must be Server or Client.");
        }

        return new RedisStateOptions
        {
            Configuration = Configuration,
            KeyPrefix = prefix,
            Timeout = Timeout,
            BreakDuration = BreakDuration,
            Clock = Clock,
            UseFunctions = UseFunctions,
        };
    }
}
