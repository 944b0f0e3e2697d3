using System.Globalization;
using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>
/// One counter's keys, and its charge's constant argument (window, calendar, max and fold in one text), boxed once:
/// <c>FCALL</c> goes through <c>IDatabase.ExecuteAsync</c>, which takes objects, and boxing a dozen arguments on every
/// call cost more than the call's own work. A reload that changes <c>max</c> keeps the limit's id, so the constants are checked on every use
/// and made again when they changed (immutable, swapped whole: safe to share between threads).
/// </summary>
internal sealed class CounterArguments(RedisKey state, RedisKey entries)
{
    private Constants? _constants;

    public RedisKey State { get; } = state;

    public RedisKey Entries { get; } = entries;

    public object StateBox { get; } = state;

    public object EntriesBox { get; } = entries;

    /// <summary>The boxed constants of this charge: the cached ones when they still match it.</summary>
    public Constants For(in LimitCharge charge)
    {
        var constants = Volatile.Read(ref _constants);
        if (constants is null || !constants.Matches(in charge))
        {
            constants = new Constants(in charge);
            Volatile.Write(ref _constants, constants);
        }

        return constants;
    }

    internal sealed class Constants
    {
        private readonly TimeSpan _window, _fold;
        private readonly bool _calendar;
        private readonly decimal _max;

        public Constants(in LimitCharge charge)
        {
            _window = charge.Window;
            _fold = charge.Fold;
            _calendar = charge.Calendar;
            _max = charge.Max;
            Limit = (RedisValue)Text(in charge);
        }

        /// <summary>The limit's constants as the one argument Counters.lua's spec() reads: "window calendar max fold".</summary>
        public object Limit { get; }

        public static string Text(in LimitCharge charge) => string.Create(CultureInfo.InvariantCulture,
            $"{Microseconds.Of(charge.Window)} {(charge.Calendar ? 1 : 0)} {Amounts.Format(charge.Max)} {Microseconds.Of(charge.Fold)}");

        public bool Matches(in LimitCharge charge) =>
            charge.Window == _window && charge.Fold == _fold && charge.Calendar == _calendar && charge.Max == _max;
    }
}

/// <summary>Boxed script arguments made once: small integers (counts, flags, most costs) and the empty string.</summary>
internal static class Boxes
{
    private const int Count = 256;
    private static readonly object[] SmallIntegers = Enumerable.Range(0, Count).Select(i => (object)(RedisValue)i).ToArray();

    public static readonly object Empty = RedisValue.EmptyString;

    public static object Small(int value) => value >= 0 && value < Count ? SmallIntegers[value] : (RedisValue)value;

    /// <summary>An amount as a boxed argument; a whole one below 256 is shared.</summary>
    public static object Amount(decimal value) =>
        value >= 0 && value < Count && decimal.Truncate(value) == value ? SmallIntegers[(int)value] : Amounts.Value(value);
}
