using PolicyEngine.Redis.Internal;
using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>The Lua refuses an argument it cannot read, before it writes anything, rather than count with a guess.</summary>
public sealed class ScriptInputTests(RedisFixture redis)
{
    [Theory]
    [InlineData("60000000 0 5")]          // no fold
    [InlineData("60000000 2 5 0")]        // calendar neither 0 nor 1
    [InlineData("60000000 0 5 0 extra")]
    [InlineData("-60000000 0 5 0")]
    public async Task A_limit_argument_that_is_not_one_fails_the_call_and_writes_nothing(string limit)
    {
        var connection = redis.Require();
        string prefix = RedisFixture.NewPrefix();
        using var store = redis.Store(prefix);
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 5);
        Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, charge)).Kind); // the library is loaded

        var (state, entries) = new RedisKeys(prefix).Counter(Count("other", "s", TimeSpan.FromMinutes(1), 5));
        var error = await Assert.ThrowsAsync<RedisServerException>(() => connection.GetDatabase().ExecuteAsync(
            "FCALL", [RedisScripts.Acquire.Function, 2, state, entries, "", 1, 0, limit, 1]));
        Assert.Contains("not a limit", error.Message, StringComparison.Ordinal);
        Assert.False(await connection.GetDatabase().KeyExistsAsync(state));
    }
}
