using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "The engine itself" (lines 25–26).</summary>
public sealed class EngineFaultTests
{
    private const string Reads = """
        {"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":1},{"path":"context.user","op":"eq","value":"x"}]}],"limits":[{"max":5,"window":60}]}}}
        """;

    /// <summary>An arguments dictionary that throws from every member: a host bug or a hostile host type.</summary>
    private sealed class ExplodingDictionary : IDictionary<string, JsonElement>, IReadOnlyDictionary<string, JsonElement>
    {
        private static Exception Boom() => new InvalidOperationException("boom");

        public JsonElement this[string key] { get => throw Boom(); set => throw Boom(); }
        public ICollection<string> Keys => throw Boom();
        public ICollection<JsonElement> Values => throw Boom();
        public int Count => throw Boom();
        public bool IsReadOnly => throw Boom();
        IEnumerable<string> IReadOnlyDictionary<string, JsonElement>.Keys => throw Boom();
        IEnumerable<JsonElement> IReadOnlyDictionary<string, JsonElement>.Values => throw Boom();
        public void Add(string key, JsonElement value) => throw Boom();
        public void Add(KeyValuePair<string, JsonElement> item) => throw Boom();
        public void Clear() => throw Boom();
        public bool Contains(KeyValuePair<string, JsonElement> item) => throw Boom();
        public bool ContainsKey(string key) => throw Boom();
        public void CopyTo(KeyValuePair<string, JsonElement>[] array, int arrayIndex) => throw Boom();
        public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => throw Boom();
        public bool Remove(string key) => throw Boom();
        public bool Remove(KeyValuePair<string, JsonElement> item) => throw Boom();
        public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => throw Boom();
        IEnumerator IEnumerable.GetEnumerator() => throw Boom();
    }

    /// <summary>A clock that works while the evaluator is built, then fails.</summary>
    private sealed class ExplodingClock : TimeProvider
    {
        public bool Armed { get; set; }

        public override long GetTimestamp() => Armed ? throw new InvalidOperationException("clock failure") : 0;

        public override DateTimeOffset GetUtcNow() => Armed ? throw new InvalidOperationException("clock failure") : Epoch;
    }

    [Fact]
    public void Line25_ArgumentsThatThrow_DenyWithACode_NoExceptionEscapes()
    {
        using var engine = Engine(Reads);
        var d = engine.Evaluate(new ToolCall("t", new ExplodingDictionary()));
        Assert.Equal(PolicyEffect.Deny, d.Effect);
        Assert.Contains(d.Code, new[] { DecisionCodes.InternalError, DecisionCodes.InvalidCall });
    }

    [Fact]
    public void Line25_ContextThatThrows_DenyWithACode()
    {
        using var engine = Engine(Reads);
        var d = engine.Evaluate(Call("t", """{"a":1}""") with { Context = new ExplodingDictionary() });
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError, (string?)null), (d.Effect, d.Code, d.Rule));
    }

    [Fact]
    public void Line25_ClockThatThrows_DenyWithInternalError()
    {
        var clock = new ExplodingClock();
        using var engine = Engine(Reads, clock);
        clock.Armed = true;
        var d = engine.Evaluate(Call("t", """{"a":2}""", "s"));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError), (d.Effect, d.Code));
    }

    [Fact]
    public void Line25_DefaultToolCallAndDefaultDecision_AreDenials()
    {
        using var engine = Engine(Reads);
        Assert.Equal(DecisionCodes.InvalidCall, engine.Evaluate(default).Code);
        Assert.Null(engine.GetApprovalId(default));
        Decision unset = default;
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InternalError), (unset.Effect, unset.Code));
    }

    [Theory]
    [InlineData("""{"fs/*":{},"fs/read":{"action":"deny"}}""")]
    [InlineData("""{"fs/read":{"action":"deny"},"fs/*":{}}""")]
    [InlineData("""{"fs/read":{"action":"allow"},"fs/*":{"deny_if":[{"conditions":[]}]}}""")]
    [InlineData("""{"fs/*":{"deny_if":[{"conditions":[]}]},"fs/read":{"action":"allow"}}""")]
    [InlineData("""{"*":{},"fs/*":{"action":"deny"}}""")]
    [InlineData("""{"fs/*":{"action":"deny"},"*":{}}""")]
    [InlineData("""{"*read":{"require":["args.never"]},"fs/*":{"action":"allow"}}""")]
    public void Line26_AllowingAndDenyingEntriesBothMatch_DenyWhateverTheOrder(string tools)
    {
        var d = Decide($$"""{"version":"1","default":"allow","tools":{{tools}}}""", Call("fs/read"));
        Assert.Equal(PolicyEffect.Deny, d.Effect);
    }
}
