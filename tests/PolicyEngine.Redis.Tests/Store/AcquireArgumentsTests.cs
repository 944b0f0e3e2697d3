using PolicyEngine.Redis.Internal;
using StackExchange.Redis;
using static PolicyEngine.Redis.Tests.TestSupport.Charges;

namespace PolicyEngine.Redis.Tests.Store;

/// <summary>
/// The hot path's <c>FCALL</c> arguments (cached boxes) against the script path's (made on every call): the same keys and
/// values in the same order, whatever the charges; and the short answer (0) read only where no times were asked for.
/// </summary>
public sealed class AcquireArgumentsTests
{
    public static TheoryData<string> Requests => new() { "count", "cost", "three", "calendar", "wide", "refundless" };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Function_arguments_are_the_script_arguments_in_order(string name)
    {
        var keys = new RedisKeys("p");
        var request = Make(name);
        var (scriptKeys, scriptValues) = AcquireCall.Build(request, keys, RedisValue.EmptyString);
        var arguments = AcquireCall.FunctionArguments(request, keys, RedisScripts.Acquire, RedisValue.EmptyString);
        for (int round = 0; round < 2; round++) // the second from the cache
        {
            Assert.Equal(RedisScripts.Acquire.Function, arguments[0]);
            Assert.Equal(scriptKeys.Length, (int)(RedisValue)arguments[1]);
            Assert.Equal(scriptKeys, arguments.Skip(2).Take(scriptKeys.Length).Select(a => (RedisKey)a));
            Assert.Equal(scriptValues, arguments.Skip(2 + scriptKeys.Length).Select(a => (RedisValue)a));
            arguments = AcquireCall.FunctionArguments(request, keys, RedisScripts.Acquire, RedisValue.EmptyString);
        }
    }

    [Fact]
    public void A_limit_crosses_as_one_text_of_window_calendar_max_and_fold()
    {
        Assert.Equal("60000000 0 5 0", CounterArguments.Constants.Text(Count("l", "s", TimeSpan.FromMinutes(1), 5)));
        Assert.Equal("1000000 0 2000000 15625", CounterArguments.Constants.Text(Count("l", "s", TimeSpan.FromSeconds(1), 2_000_000)));
        Assert.Equal("86400000000 1 5000 0", CounterArguments.Constants.Text(Count("l", "s", TimeSpan.FromDays(1), 5000, calendar: true)));
        Assert.Equal("86400000000 0 0.6 0", CounterArguments.Constants.Text(Cost("l", "s", TimeSpan.FromDays(1), 0.60m, 0.1m)));
        Assert.Equal("3600000000 0 1000000000000000.5 56250000", CounterArguments.Constants.Text(Cost("l", "s", TimeSpan.FromHours(1), 1_000_000_000_000_000.5m, 1m)));
    }

    [Fact]
    public void A_reload_that_changes_max_changes_the_cached_arguments()
    {
        var keys = new RedisKeys("p");
        var before = AcquireCall.FunctionArguments(Request(Epoch, Count("l", "s", TimeSpan.FromMinutes(1), 5)), keys, RedisScripts.Acquire, RedisValue.EmptyString);
        var after = AcquireCall.FunctionArguments(Request(Epoch, Count("l", "s", TimeSpan.FromMinutes(1), 7)), keys, RedisScripts.Acquire, RedisValue.EmptyString);
        Assert.Equal("60000000 0 5 0", (string?)(RedisValue)before[^2]); // window µs, calendar, max, fold µs
        Assert.Equal("60000000 0 7 0", (string?)(RedisValue)after[^2]);
    }

    [Fact]
    public void A_counter_twice_in_one_call_fails_on_both_paths()
    {
        var keys = new RedisKeys("p");
        var request = Request(Epoch, Count("l", "s", TimeSpan.FromMinutes(1), 5), Count("m", "s", TimeSpan.FromMinutes(1), 5), Count("l", "s", TimeSpan.FromMinutes(1), 5));
        Assert.Throws<InvalidOperationException>(() => AcquireCall.Build(request, keys, RedisValue.EmptyString));
        Assert.Throws<InvalidOperationException>(() => AcquireCall.FunctionArguments(request, keys, RedisScripts.Acquire, RedisValue.EmptyString));
    }

    [Fact]
    public void The_short_answer_is_read_only_where_no_times_were_asked_for()
    {
        var refundless = Make("refundless");
        Assert.Equal(StateVerdictKind.Acquired, AcquireCall.Read(refundless, RedisResult.Create((RedisValue)0)).Kind);
        Assert.Null(AcquireCall.Read(refundless, RedisResult.Create((RedisValue)0)).Receipt);
        Assert.Throws<InvalidOperationException>(() => AcquireCall.Read(refundless, RedisResult.Create((RedisValue)1)));

        // A request whose receipt needs the recorded times cannot take 0 for an answer: it fails (closed).
        Assert.ThrowsAny<Exception>(() => AcquireCall.Read(Make("count"), RedisResult.Create((RedisValue)0)));
    }

    private static StateRequest Make(string name) => name switch
    {
        "count" => Request(Epoch, Count("l", "alice", TimeSpan.FromMinutes(1), 5)),
        "cost" => Request(Epoch, Cost("c", "{\"acct\":1}", TimeSpan.FromHours(1), 100.5m, 2.25m)),
        "three" => Request(Epoch, Count("a", "s", TimeSpan.FromSeconds(1), 2_000_000_000), Cost("b", "s", TimeSpan.FromSeconds(1), 1000m, 300m), Count("g", "", TimeSpan.FromDays(1), 3)),
        "calendar" => Request(Epoch, Count("d", "s", TimeSpan.FromDays(1), 10, calendar: true)),
        "wide" => Request(Epoch, Cost("w", "s", TimeSpan.FromMinutes(5), 79228162514264337593543950335m, 0.0000000000000000000000000001m)),
        "refundless" => Request(Epoch,
            new LimitCharge("r", "s", TimeSpan.FromMinutes(1), false, 5, 1, TimeSpan.Zero, refundable: false),
            new LimitCharge("q", "s", TimeSpan.FromMinutes(1), false, 900, 299, TimeSpan.Zero, refundable: false)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
