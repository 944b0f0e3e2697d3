namespace PolicyEngine.Tests.Document;

public class ValidationTests
{
    private static IReadOnlyList<PolicyError> Errors(string json)
    {
        Assert.False(Policy.TryParse(json, out var policy, out var errors));
        Assert.Null(policy);
        Assert.NotEmpty(errors);
        return errors;
    }

    [Fact]
    public void Every_error_is_reported_in_one_pass_with_pointer_line_and_column()
    {
        const string json = "{\n  \"version\": \"2\",\n  \"default\": \"deny\",\n  \"tools\": {\n    \"a\": {\"action\": \"maybe\"},\n    \"b\": {\"rate_limit\": {\"max\": 0, \"window\": \"5 minutes\"}},\n    \"c\": {\"deny-if\": []}\n  }\n}";
        var errors = Errors(json);
        Assert.Equal(
            ["/tools/a/action", "/tools/b/rate_limit/max", "/tools/b/rate_limit/window", "/tools/c/deny-if", "/version"],
            errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
        var version = errors.Single(e => e.Pointer == "/version");
        Assert.Equal((2, 14), (version.Line, version.Column));
        var action = errors.Single(e => e.Pointer == "/tools/a/action");
        Assert.Equal((5, 21), (action.Line, action.Column));
        var typo = errors.Single(e => e.Pointer == "/tools/c/deny-if");
        Assert.Equal((7, 11), (typo.Line, typo.Column));
        Assert.Contains("deny-if", typo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_carries_every_error()
    {
        var ex = Assert.Throws<PolicyValidationException>(() => Policy.Parse("""{"version":"1"}"""));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("/default", error.Pointer);
        Assert.Contains("/default", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":"1","default":"allow","default":"deny"}""", "/default", 1, 34)]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[],"on_deny":"a","on_deny":"b"}]}}}""", "/tools/x/deny_if/0/on_deny", 1, 89)]
    public void Duplicate_keys_are_errors_at_the_second_key(string json, string pointer, int line, int column)
    {
        var error = Assert.Single(Errors(json));
        Assert.Equal((pointer, line, column), (error.Pointer, error.Line, error.Column));
    }

    [Theory]
    [InlineData("""{"version":"1","default":"deny",}""")]
    [InlineData("""{"version":"1", /* c */ "default":"deny"}""")]
    [InlineData("""{"version":"1","default":"deny"} extra""")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"version":"1","default":"deny","description":"\ud800"}""")]
    public void Broken_or_non_object_documents_are_rejected(string json) => Errors(json);

    [Fact]
    public void Syntax_errors_have_a_position()
    {
        // A trailing comma is reported where it is, the character to remove, not at the '}' after it.
        var error = Assert.Single(Errors("{\n  \"version\": \"1\",\n  \"default\": \"deny\",\n}"));
        Assert.Equal((3, 20, "/default"), (error.Line, error.Column, error.Pointer));
    }

    [Theory]
    [InlineData("""{"version":"1","default":"deny","all_tools":{"action":"deny"}}""", "/all_tools/action")]
    [InlineData("""{"version":"1","default":"deny","mode":"audit"}""", "/mode")]
    [InlineData("""{"version":"1","default":"deny","approval_ttl":"0s"}""", "/approval_ttl")]
    [InlineData("""{"version":"1","default":"deny","approval_ttl":"401d"}""", "/approval_ttl")]
    [InlineData("""{"version":"1","default":"deny","hide":["bad name"]}""", "/hide/0")]
    [InlineData("""{"version":"1","default":"deny","hide":["a*",5]}""", "/hide/1")]
    [InlineData("""{"version":"1","default":"deny","tools":{"bad name":{}}}""", "/tools/bad name")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"pin":"sha256:ABC"}}}""", "/tools/x/pin")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"require":[{"path":"args.a","op":"exists","value":"yes"}]}}}""", "/tools/x/require/0/value")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"require":[{"path":"args.a","op":"lt","value":1,"ignore_case":true}]}}}""", "/tools/x/require/0/ignore_case")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[{"path":"args.a","op":"regex","value":"(?=a)"}]}]}}}""", "/tools/x/deny_if/0/conditions/0/value")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":1e400}]}]}}}""", "/tools/x/deny_if/0/conditions/0/value")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":{"a":1}}]}]}}}""", "/tools/x/deny_if/0/conditions/0/value")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"conditions":[{"all":[],"any":[]}]}]}}}""", "/tools/x/deny_if/0/conditions/0")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"deny_if":[{"on_deny":"no"}]}}}""", "/tools/x/deny_if/0/conditions")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"limits":[{"max":1.5,"window":1}]}}}""", "/tools/x/limits/0/max")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"limits":[{"max":1,"window":1,"per":"user"}]}}}""", "/tools/x/limits/0/per")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"limits":[{"max":1,"window":1,"cost":"session"}]}}}""", "/tools/x/limits/0/cost")]
    [InlineData("""{"version":"1","default":"deny","tools":{"x":{"rate_limit":{"max":1}}}}""", "/tools/x/rate_limit/window")]
    public void Each_rule_of_the_language_is_checked(string json, string pointer) =>
        Assert.Contains(Errors(json), e => e.Pointer == pointer);

    [Fact]
    public void Extension_keys_are_ignored_but_not_in_the_tools_map()
    {
        var policy = Policy.Parse("""{"$schema":"x","x-owner":"team","version":"1","default":"deny","tools":{"x-ray":{"x-note":1,"action":"deny"}}}""");
        using var ev = new PolicyEvaluator(policy);
        Assert.Equal(DecisionCodes.Denied, ev.Evaluate(new ToolCall("x-ray")).Code);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted_and_positions_still_count_from_the_text()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes("{\"version\":\"1\",\"default\":\"nope\"}")).ToArray();
        Assert.False(Policy.TryParse(bytes, out _, out var errors));
        Assert.Equal("/default", Assert.Single(errors).Pointer);
    }

    [Fact]
    public void A_stream_and_a_file_load_like_text()
    {
        const string json = """{"version":"1","default":"allow"}""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json);
            Assert.Equal(Policy.Parse(json).Fingerprint, Policy.Load(stream).Fingerprint);
            Assert.Equal(Policy.Parse(json).Fingerprint, Policy.LoadFile(path).Fingerprint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_names_the_file_and_every_error_in_file_order()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\n  \"version\": \"1\",\n  \"defualt\": \"deny\"\n}");
            var invalid = Assert.Throws<PolicyValidationException>(() => Policy.LoadFile(path));
            Assert.Equal(path, invalid.FilePath);
            Assert.Equal([$"{path}:1:1: /default: A policy document needs 'default'.", $"{path}:3:3: /defualt: Unknown key 'defualt' in the document; allowed: version, default, description, mode, hide, all_tools, tools, approval_ttl."], invalid.ErrorLines());
            Assert.Equal($"The policy file {path} has 2 error(s):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", invalid.ErrorLines())}", invalid.Message);

            File.WriteAllText(path, new string(' ', Policy.MaxDocumentBytes + 1));
            var tooLarge = Assert.Throws<PolicyValidationException>(() => Policy.LoadFile(path));
            Assert.Equal($"{path}:1:1: : The document is larger than {Policy.MaxDocumentBytes} bytes.", Assert.Single(tooLarge.ErrorLines()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_fingerprint_is_the_hash_of_the_canonical_document_even_when_it_is_long_and_not_ASCII()
    {
        // Long enough for the canonical text to span many buffer chunks, with astral characters throughout.
        string description = string.Concat(Enumerable.Repeat("💸 transfer €", 20_000));
        string json = "{\"version\":\"1\",\"default\":\"deny\",\"description\":\"" + description + "\"}";
        string canonical = "{\"default\":\"deny\",\"description\":\"" + description + "\",\"version\":\"1\"}";
        string expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, Policy.Parse(json).Fingerprint);
    }

    [Fact]
    public void The_fingerprint_ignores_key_order_and_spacing_but_not_meaning()
    {
        var a = Policy.Parse("""{"version":"1","default":"deny","tools":{"a":{},"b":{}}}""");
        var b = Policy.Parse("""{ "tools": {"b": {}, "a": {}}, "default": "deny", "version": "1" }""");
        var c = Policy.Parse("""{"version":"1","default":"allow","tools":{"a":{},"b":{}}}""");
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
        Assert.StartsWith("sha256:", a.Fingerprint, StringComparison.Ordinal);
    }
}
