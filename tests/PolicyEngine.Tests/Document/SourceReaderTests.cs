using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PolicyEngine.Document;
using PolicyEngine.Tests.Reference;

namespace PolicyEngine.Tests.Document;

/// <summary>The reader's shared stacks and reused strings: what each node ends up holding, and where errors point.</summary>
public class SourceReaderTests
{
    [Fact]
    public void Nested_containers_keep_their_own_members_and_items_in_order()
    {
        var root = Read("""{"a": [1, {"b": [true, null], "c": "x"}, []], "d": {}, "e": "y"}""");
        Assert.Equal(["a", "d", "e"], root.Members.Select(m => m.Name));
        var a = root.Get("a")!.Value;
        Assert.Equal(3, a.Items.Length);
        Assert.Equal(["b", "c"], a.Items[1].Members.Select(m => m.Name));
        Assert.Equal([JKind.True, JKind.Null], a.Items[1].Get("b")!.Value.Items.Select(i => i.Kind));
        Assert.Empty(a.Items[2].Items);
        Assert.Empty(root.Get("d")!.Value.Members);
        Assert.Equal("/a/1/b/1", a.Items[1].Get("b")!.Value.Items[1].Pointer);
    }

    [Fact]
    public void A_pointer_is_joined_from_the_nearest_ancestor_that_has_one_and_escapes_each_token()
    {
        var root = Read("""{"a/b": {"c~d": [[0, {"e": 1}]]}}""");
        var deep = root.Get("a/b")!.Value.Get("c~d")!.Value.Items[0].Items[1].Get("e")!.Value;
        Assert.Equal("/a~1b/c~0d/0/1/e", deep.Pointer);
        var array = root.Get("a/b")!.Value.Get("c~d")!.Value;
        Assert.Equal("/a~1b/c~0d/0/0", array.Items[0].Items[0].Pointer);
        Assert.Equal("/a~1b/c~0d", array.Pointer);
        Assert.Equal("/a~1b/c~0d/0", array.Items[0].Pointer);
        Assert.Equal("/a~1b", root.Get("a/b")!.Value.Pointer);
        Assert.Equal("", root.Pointer);
    }

    [Fact]
    public void Repeated_texts_read_the_same_whether_plain_escaped_long_or_not_ASCII()
    {
        string longName = new('k', 40);
        var root = Read($$"""[{"op": "eq", "n": 60}, {"\u006fp": "e\u0071", "n": 60}, {"op": "é", "{{longName}}": "{{longName}}"}, {"op": "é"}]""");
        Assert.All(root.Items.Take(2), i => Assert.Equal(("op", "eq", "60"), (i.Members[0].Name, i.Get("op")!.Value.Text, i.Get("n")!.Value.Text)));
        Assert.Equal(("é", longName), (root.Items[2].Get("op")!.Value.Text, root.Items[2].Get(longName)!.Value.Text));
        Assert.Equal("é", root.Items[3].Get("op")!.Value.Text);
    }

    [Theory]
    [InlineData("{\"a\": 1, \"\\u0061\": 2}", "/a", 1, 10)]
    [InlineData("{\"é\": 1,\n \"é\": 2}", "/é", 2, 2)]
    [InlineData("{\"x\": {\"a\": 1}, \"a\": 2, \"y\": {\"a\": 3, \"a\": 4}}", "/y/a", 1, 39)]
    public void Duplicate_keys_are_found_within_one_object_only(string json, string pointer, int line, int column)
    {
        var error = Assert.Single(Diagnose(json));
        Assert.Equal((pointer, line, column), (error.Pointer, error.Line, error.Column));
    }

    [Fact]
    public void Duplicate_keys_of_a_large_object_are_found_too()
    {
        string members = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"k{i}\": {i}"));
        Assert.Equal("/k17", Assert.Single(Diagnose("{" + members + ", \"k17\": 0}")).Pointer);
    }

    [Fact]
    public void Duplicates_are_found_in_large_objects_that_nest_and_grow_past_their_first_table()
    {
        // Two large objects open at once (an index each), the outer one growing far past its first 64 slots;
        // a name equal to one of the inner object's is no duplicate in the outer one, and a third object reuses an index.
        static string Members(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"{prefix}{i}\": {i}"));
        string json = "{" + Members("k", 20) + ", \"inner\": {" + Members("k", 30) + ", \"k29\": 1, \"k3\": 2}, " + Members("m", 500)
            + ", \"k7\": 0, \"m499\": 0, \"m0\": 0, \"inner2\": {" + Members("k", 20) + ", \"k0\": 3}, \"inner\": 5}";
        Assert.Equal(
            ["/inner/k29", "/inner/k3", "/k7", "/m499", "/m0", "/inner2/k0", "/inner"],
            Diagnose(json).Select(e => e.Pointer));
    }

    [Fact]
    public void An_invalid_string_after_reused_ones_is_still_an_error_in_its_container()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\": {\"op\": \"eq\", \"op2\": \"x\"}}");
        bytes[^4] = 0xFF; // the x
        var d = new Diagnostics();
        Assert.Null(SourceReader.Read(bytes, d));
        var error = Assert.Single(d.Resolve(bytes));
        Assert.Equal("/a", error.Pointer);
        Assert.StartsWith("Invalid JSON string", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\":\"2\",\"default\":\"deny\"}", "/version", 1, 15)]
    [InlineData("{\"version\":\"1\",\n\"default\":\"deny\",}", "/default", 2, 17)] // at the trailing comma, after the member it follows
    public void A_byte_order_mark_counts_as_three_columns_as_before(string json, string pointer, int line, int column)
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)];
        Assert.False(Policy.TryParse(bytes, out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Equal((pointer, line, column), (error.Pointer, error.Line, error.Column));
    }

    [Theory]
    [InlineData("""{"version":"1","default":"deny","x-a":{"z":[1,-0,2.50,1e21,0.000001,1E-7,123456789012345,-12,0],"a":"q\"b\\ \u0001 \n é 😀 \u2028"}}""")]
    [InlineData("""{"version":"1","default":"deny","x-é":{"😀":1,"€":2,"a":{"b":3,"A":4}},"description":"tab\tline\r"}""")]
    [InlineData("""{"x-z":[{"b":{},"a":[]},{"\u0062":1,"a":{"d":[{"y":1,"x":2}],"c":null}}],"version":"1","default":"allow","x-\u00e9\/":"\u0041\ud83d\ude00\u001f"}""")]
    [InlineData("""{"x-big":{"p":1,"o":2,"n":3,"m":4,"l":5,"k":6,"j":7,"i":8,"h":9,"g":10,"f":11,"e":12,"d":13,"c":14,"b":15,"a":16,"Z":17,"é":18},"default":"deny","version":"1"}""")]
    public void The_fingerprint_is_the_hash_of_the_reference_canonical_form(string json)
    {
        string canonical = RefCanonicalJson.Write(JsonDocument.Parse(json).RootElement);
        string expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, Policy.Parse(json).Fingerprint);
    }

    [Theory]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1234567890123456789", "1234567890123456788")]
    [InlineData("0.10000000000000000000000000001", "0.1")]
    [InlineData("1e400", "1e401")]
    public void Policies_that_differ_only_in_a_number_a_double_would_round_get_different_fingerprints(string a, string b)
    {
        // An approval id hashes the fingerprint: a shared fingerprint would let an approval survive a reload that changed
        // a rule's literal. Any part of the document counts, extension keys included.
        static string Doc(string n) => """{"version":"1","default":"deny","x-n":N}""".Replace("N", n, StringComparison.Ordinal);
        Assert.NotEqual(Policy.Parse(Doc(a)).Fingerprint, Policy.Parse(Doc(b)).Fingerprint);
    }

    [Theory]
    [InlineData("100", "1e2")]
    [InlineData("1e400", "10E399")]
    [InlineData("1e400", "1e+400")]
    [InlineData("12345678901234567890", "1.2345678901234567890e19")]
    public void Equal_numbers_written_differently_share_a_fingerprint(string a, string b)
    {
        static string Doc(string n) => $$"""{"version":"1","default":"deny","x-n":{{n}}}""";
        Assert.Equal(Policy.Parse(Doc(a)).Fingerprint, Policy.Parse(Doc(b)).Fingerprint);
    }

    [Fact]
    public void The_fingerprint_holds_for_objects_with_more_members_than_the_builder_first_holds()
    {
        // 300 members in reverse order, each holding an unsorted object: the member list grows while objects nest.
        string members = string.Join(",", Enumerable.Range(0, 300).Reverse().Select(i => $"\"k{i:D3}\":{{\"z\":{i},\"a\":[{{\"y\":1,\"b\":2}}]}}"));
        string json = "{\"version\":\"1\",\"x-many\":{" + members + "},\"default\":\"deny\"}";
        string canonical = RefCanonicalJson.Write(JsonDocument.Parse(json).RootElement);
        string expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, Policy.Parse(json).Fingerprint);
    }

    private static JNode Read(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var d = new Diagnostics();
        var root = SourceReader.Read(bytes, d)!.Value;
        Assert.False(d.HasErrors);
        return root;
    }

    private static IReadOnlyList<PolicyError> Diagnose(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var d = new Diagnostics();
        SourceReader.Read(bytes, d);
        return d.Resolve(bytes);
    }
}
