using PolicyEngine.Redis.Tests.TestSupport;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>
/// A store's own connection (<see cref="RedisStateStore.Connect"/>, which <c>UseRedis("host:port")</c> registers) has
/// SELECT turned off when it uses database 0: StackExchange.Redis would otherwise write SELECT before every FCALL (it
/// cannot know what an unknown command does to the database), one more command a decision. Another database, or a
/// configuration that maps commands itself, keeps it.
/// </summary>
public sealed class OwnConnectionTests(RedisFixture redis)
{
    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("localhost:6379,defaultDatabase=0")]
    public void On_database_0_the_own_connection_has_no_select(string configuration)
    {
        var parsed = RedisStateStore.ParseConfiguration(configuration);
        Assert.Contains("$SELECT=", parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:6379,defaultDatabase=3")]
    [InlineData("localhost:6379,$INFO=")]
    [InlineData("localhost:6379,proxy=Twemproxy")]
    public void Another_database_or_a_command_map_of_the_configuration_is_left_as_it_is(string configuration)
    {
        var parsed = RedisStateStore.ParseConfiguration(configuration);
        Assert.DoesNotContain("$SELECT=", parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_own_connection_writes_no_select_where_a_shared_one_writes_one_a_call()
    {
        using var server = redis.StartOwnServer(); // its ACL log is this test's alone
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        // A user that may do anything but SELECT: Redis refuses, and counts, every SELECT written on its connections.
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "noselect", "on", ">secret", "~*", "&*", "+@all", "-select");
        string configuration = server.EndPoint + ",user=noselect,password=secret";
        var options = new RedisStateOptions { Configuration = configuration, Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) };
        var charge = Count("l", "s", TimeSpan.FromMinutes(1), 100);

        using (var own = RedisStateStore.Connect(options))
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(StateVerdictKind.Acquired, (await own.Acquire(Epoch, charge)).Kind);
            }
        }

        Assert.Equal(0, await RefusedSelects(admin));

        // The control: a multiplexer the store does not own gets SELECT before each FCALL, and this test sees them.
        using var user = await ConnectionMultiplexer.ConnectAsync(configuration);
        using var shared = new RedisStateStore(user, new RedisStateOptions { Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) });
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(StateVerdictKind.Acquired, (await shared.Acquire(Epoch, charge)).Kind);
        }

        Assert.True(await RefusedSelects(admin) >= 4, "the shared connection's SELECTs (one before each FCALL after the first) should have been refused");
    }

    [Fact]
    public async Task A_connection_configured_for_another_database_keeps_its_counters_there()
    {
        var admin = redis.Require();
        string prefix = RedisFixture.NewPrefix();
        using (var store = RedisStateStore.Connect(new RedisStateOptions { Configuration = redis.EndPoint + ",defaultDatabase=3", KeyPrefix = prefix, Clock = RedisClock.Client, Timeout = TimeSpan.FromSeconds(10) }))
        {
            Assert.Equal(StateVerdictKind.Acquired, (await store.Acquire(Epoch, Count("l", "s", TimeSpan.FromMinutes(1), 2))).Kind);
        }

        var server = admin.GetServer(admin.GetEndPoints()[0]);
        Assert.NotEmpty(server.Keys(database: 3, pattern: "{" + prefix + "}*"));
        Assert.Empty(server.Keys(database: 0, pattern: "{" + prefix + "}*"));
    }

    /// <summary>How many SELECTs this server refused (its own server: no other test writes to it).</summary>
    private static async Task<long> RefusedSelects(ConnectionMultiplexer admin)
    {
        string stats = (string)(await admin.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        var line = stats.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("cmdstat_select:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        string field = line.Split(',').Single(f => f.StartsWith("rejected_calls=", StringComparison.Ordinal));
        return long.Parse(field["rejected_calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
