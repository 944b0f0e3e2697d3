using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// The names of a store's keys. Every one starts with the prefix in one hash tag (<c>{prefix}:</c>), so every key a call
/// touches is in one cluster slot. No raw value reaches a key: a counter's keys are named by its limit's id (a digest already)
/// and a SHA-256 of its partition (session id or <c>per</c> value), a session's request index by a SHA-256 of the
/// session, and approvals by their ids (digests too).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>The hash-tagged prefix, <c>{prefix}</c>; the scripts build the keys they find by reading from it.</summary>
    public string Tag { get; } = "{" + prefix + "}";

    /// <summary>
    /// A counter's two keys (Scripts/Counters.lua): its state, a string, and the list of its older entries. The keys of
    /// recent counters are kept (a session calls again and again, and naming one costs a SHA-256), up to
    /// <see cref="MaxCachedCounters"/>, then the cache starts again empty: bounded, whatever the number of sessions.
    /// </summary>
    public (RedisKey State, RedisKey Entries) Counter(in LimitCharge charge)
    {
        var counter = CounterArguments(in charge);
        return (counter.State, counter.Entries);
    }

    /// <summary>A counter's keys, and its charge's arguments boxed once for <c>FCALL</c> (<see cref="CounterArguments"/>).</summary>
    public CounterArguments CounterArguments(in LimitCharge charge)
    {
        var id = (charge.Limit, charge.Partition);
        if (_counters.TryGetValue(id, out var cached))
        {
            return cached;
        }

        string name = charge.Limit + ":" + Digest(charge.Partition);
        var counter = new CounterArguments(Tag + ":s:" + name, Tag + ":e:" + name);
        if (Interlocked.Increment(ref _cachedCounters) > MaxCachedCounters)
        {
            _counters.Clear();
            Interlocked.Exchange(ref _cachedCounters, 1);
        }

        _counters[id] = counter;
        return counter;
    }

    internal const int MaxCachedCounters = 10_000;

    internal int CachedCountersForTests => _counters.Count;

    private readonly ConcurrentDictionary<(string Limit, string Partition), CounterArguments> _counters = new();
    private int _cachedCounters;

    public RedisKey Grant(string approvalId) => Tag + ":g:" + approvalId;

    public RedisKey Grants => Tag + ":gi";

    public RedisKey Pending(string approvalId) => Tag + ":p:" + approvalId;

    public RedisKey Session(string sessionDigest) => Tag + ":ps:" + sessionDigest;

    public RedisKey AllPending => Tag + ":pa";

    public RedisKey PendingExpiry => Tag + ":pe";

    public RedisKey Sequence => Tag + ":seq";

    /// <summary>
    /// SHA-256 of the exact UTF-16 code units, base64url without padding (43 characters): two values that differ only
    /// in a lone surrogate, which has no UTF-8 form, still get different digests.
    /// </summary>
    public static string Digest(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(value.AsSpan()), hash);
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
