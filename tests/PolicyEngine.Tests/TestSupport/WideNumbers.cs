using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace PolicyEngine.Tests.TestSupport;

/// <summary>
/// Integers over the whole <see cref="long"/> range and just past it. FsCheck's default long stays near zero,
/// so the engine's boundaries (15 digits on the stack, 2^53 in a double, long against decimal, decimal's
/// 29 digits) were only reached by constants.
/// </summary>
internal static class WideNumbers
{
    /// <summary>The boundaries within a policy literal's 28 digits, written as JSON numbers.</summary>
    public static readonly string[] Boundaries =
    [
        "999999999999999", "1000000000000000", "-999999999999999", "-1000000000000000", "9999999999999999", "10000000000000000",
        "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "7922816251426433759354395033", "-7922816251426433759354395033",
    ];

    /// <summary>A long of 1 to 19 digits, each length equally likely, either sign, or a boundary ± 1.</summary>
    public static Gen<string> Integer() =>
        Gen.Frequency(
            (4, from digits in Gen.Choose(1, 19)
                from high in Gen.Choose(0, int.MaxValue)
                from low in Gen.Choose(0, int.MaxValue)
                from negative in ArbMap.Default.GeneratorFor<bool>()
                select Format(Scale(((long)high << 31) | (uint)low, digits), negative)),
            (1, Gen.Elements(Boundaries)));

    private static long Scale(long raw, int digits)
    {
        long limit = digits >= 19 ? long.MaxValue : (long)Math.Pow(10, digits);
        return raw % limit;
    }

    private static string Format(long n, bool negative) => (negative ? -n : n).ToString(CultureInfo.InvariantCulture);
}
