using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace PolicyEngine.ModelContextProtocol.Tests.ModelContextProtocol.Schema;

/// <summary>What a parameter or property holds, for generating hostile spellings of it.</summary>
internal enum ValueKind
{
    Enum,
    Number,
    Integer,
    Text,
    Token, // a string without white space (the sample's place_order prints it between spaces)
    Object,
    Array,
}

/// <summary>A declared property: its exact (listed) name, its kind, and the properties of an object or array item.</summary>
internal sealed record Field(string Name, ValueKind Kind, Field[]? Fields = null);

/// <summary>
/// FsCheck generators of argument objects as raw JSON text, so that one object can repeat a name: every declared name
/// appears exactly, in a case variant, both, twice or not at all, with values spelled as a client may spell them.
/// </summary>
internal static class ArgumentShapes
{
    private static readonly string[] EnumSpellings = ["\"Buy\"", "\"Sell\"", "\"sell\"", "\"SELL\"", "\" Sell\"", "\"Sell \"", "\"Buy,Sell\"", "\"1\"", "1", "0", "null"];

    private static readonly string[] NumberSpellings =
    [
        "1", "2.5", "100", "5000", "0.1", "-0", "1e2", "1E400", "1e-400", "\"5000\"", "\" 1\"", "100.0000000000000000000000000001",
        "99.99999999999999999999999999999", "1.00000000000000000001", "9007199254740993", "null", "true",
    ];

    private static readonly string[] IntegerSpellings = ["1", "7", "1.0", "1.5", "\"3\"", "1e1", "2147483648", "-1", "null"];

    private static readonly string[] TextSpellings = ["\"acct-1\"", "\"ext-evil\"", "\" ext-x\"", "\"EXT-1\"", "\"acct-1\\n\"", "\"Sell\"", "\"sell\"", "\"\"", "null", "5"];

    private static readonly string[] TokenSpellings = ["\"BTCUSD\"", "\"btcusd\"", "\"FORBIDDEN\"", "\"ETH\"", "5", "null"];

    public static Gen<string> Object(Field[] fields) =>
        fields.Aggregate(
            Gen.Constant(Enumerable.Empty<string>()),
            (members, field) => members.SelectMany(done => Members(field).Select(more => done.Concat(more))))
        .Select(members => "{" + string.Join(",", members) + "}");

    private static Gen<IEnumerable<string>> Members(Field field)
    {
        var exact = Member(Gen.Constant(field.Name), field);
        var variant = Member(CaseVariant(field.Name), field);
        return Gen.Frequency(
            (1, Gen.Constant(Enumerable.Empty<string>())),
            (24, exact.Select(One)),
            (1, variant.Select(One)),
            (1, exact.SelectMany(a => variant.Select(b => (IEnumerable<string>)[a, b]))),
            (1, variant.SelectMany(a => exact.Select(b => (IEnumerable<string>)[a, b]))),
            (1, exact.SelectMany(a => exact.Select(b => (IEnumerable<string>)[a, b]))));
    }

    private static IEnumerable<string> One(string member) => [member];

    private static Gen<string> Member(Gen<string> name, Field field) =>
        name.SelectMany(n => Value(field).Select(v => JsonSerializer.Serialize(n) + ":" + v));

    private static Gen<string> Value(Field field) => field.Kind switch
    {
        ValueKind.Enum => Spelling(["\"Buy\"", "\"Sell\""], EnumSpellings),
        ValueKind.Number => Spelling(["1", "2.5", "5000"], NumberSpellings),
        ValueKind.Integer => Spelling(["1", "7"], IntegerSpellings),
        ValueKind.Text => Spelling(["\"acct-1\"", "\"ext-evil\""], TextSpellings),
        ValueKind.Token => Spelling(["\"BTCUSD\"", "\"FORBIDDEN\""], TokenSpellings),
        ValueKind.Object => Gen.Frequency((9, Object(field.Fields!)), (1, Gen.Elements("null", "\"{}\"", "[]"))),
        _ => Gen.Frequency(
            (9, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Object(field.Fields!), n)).Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Elements("null", "{}", "\"[]\""))),
    };

    // Mostly a plain value, so that calls do run; else any of the spellings a client may try.
    private static Gen<string> Spelling(string[] plain, string[] any) => Gen.Frequency((5, Gen.Elements(plain)), (1, Gen.Elements(any)));

    private static Gen<string> CaseVariant(string name) => Gen.Elements(
        name.ToUpperInvariant(),
        char.ToUpperInvariant(name[0]) + name[1..],
        name[..^1] + char.ToUpperInvariant(name[^1]));
}
