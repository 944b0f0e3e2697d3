using System.Text.RegularExpressions;
using PolicyEngine.Compilation;
using PolicyEngine.DecisionTree.Conditions;
using PolicyEngine.Tests.Reference;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Compilation;

/// <summary>Spec §3 rule 5: outside <c>(?m)</c>, <c>$</c> matches only at the very end of the value.</summary>
public sealed class EndAnchorTests
{
    private const RegexOptions SpecOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    [Fact]
    public void A_final_newline_does_not_satisfy_an_anchored_account_pattern()
    {
        const string policy = """{"version":"1","default":"deny","tools":{"pay":{"require":[{"path":"args.to","op":"regex","value":"^acct-[0-9]+$"}]}}}""";
        using var ev = Engine.For(policy);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("pay", """{"to":"acct-1"}""")).Code);
        Assert.Equal(DecisionCodes.RequirementFailed, ev.Evaluate(Engine.Call("pay", """{"to":"acct-1\n"}""")).Code);
        Assert.Equal(DecisionCodes.RequirementFailed, ev.Evaluate(Engine.Call("pay", """{"to":"acct-1\nacct-2"}""")).Code);
    }

    [Fact]
    public void A_deny_if_on_an_anchored_pattern_still_fires_only_at_the_end()
    {
        const string policy = """{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.s","op":"regex","value":"^(BTC|ETH)USD$","ignore_case":true}]}]}}}""";
        using var ev = Engine.For(policy);
        Assert.Equal(DecisionCodes.Denied, ev.Evaluate(Engine.Call("t", """{"s":"btcusd"}""")).Code);
        Assert.Equal(DecisionCodes.Allowed, ev.Evaluate(Engine.Call("t", """{"s":"BTCUSD\n"}""")).Code);
    }

    [Theory]
    [InlineData(@"^a$", @"^a\z")]
    [InlineData(@"a$|b$", @"a\z|b\z")]
    [InlineData(@"a\$", @"a\$")] // escaped
    [InlineData(@"[$]$", @"[$]\z")] // in a class
    [InlineData(@"[^]$]$", @"[^]$]\z")] // ']' first in a class is literal
    [InlineData(@"[a-z-[$]]$", @"[a-z-[$]]\z")] // a subtracted class
    [InlineData(@"[a-[$]]$", @"[a-[$]]\z")]
    [InlineData(@"[\]$]$", @"[\]$]\z")]
    [InlineData(@"[!-\-[]$", @"[!-\-[]\z")] // a range ending in \- is complete: the '[' after it is a character
    [InlineData(@"[\c]$]$", @"[\c]$]\z")] // \c] is one character (0x1D): the class goes on
    [InlineData(@"\c\$", @"\c\\z")] // \c\ is one character (0x1C): the '$' after it is an anchor
    [InlineData(@"(?#$)a$", @"(?#$)a\z")] // a comment
    [InlineData("(?x) a # $\n $", "(?x) a # $\n \\z")] // an x-mode comment
    [InlineData("(?x:#$\n)$", "(?x:#$\n)\\z")]
    [InlineData("a#$", "a#\\z")] // '#' is literal without x
    [InlineData(@"(?m)a$", @"(?m)a$")]
    [InlineData(@"(?m:a$)b$", @"(?m:a$)b\z")]
    [InlineData(@"(a(?m)b$)c$", @"(a(?m)b$)c\z")] // inline options last to the end of their group
    [InlineData(@"a(?m)b|c$", @"a(?m)b|c$")] // ... across '|'
    [InlineData(@"(?m)a$(?-m)b$", @"(?m)a$(?-m)b\z")]
    [InlineData(@"(?im-sx)a$(?s-im:b$)", @"(?im-sx)a$(?s-im:b\z)")]
    [InlineData(@"(?M)a$", @"(?M)a$")] // option letters in either case
    [InlineData(@"(?<n>a$)", @"(?<n>a\z)")]
    [InlineData(@"a\Z", @"a\Z")] // \Z is left as written
    [InlineData(@"$*", @"\z*")]
    public void Only_end_anchors_outside_multiline_are_rewritten(string pattern, string expected)
    {
        Assert.Equal(expected, EndAnchor.Rewrite(pattern));
        Assert.Equal(expected, RefRegex.EndAnchorsAsZ(pattern));
    }

    [Fact]
    public void A_pattern_without_an_anchor_is_the_same_string() =>
        Assert.Same("^acct-[0-9]+", EndAnchor.Rewrite("^acct-[0-9]+"));

    [Fact]
    public void An_invalid_pattern_is_still_rejected_with_its_own_text_in_the_message()
    {
        Assert.False(Policy.TryParse("""{"version":"1","default":"allow","tools":{"t":{"require":[{"path":"args.a","op":"regex","value":"(a$"}]}}}""", out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Contains("(a$", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(@"\z", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_word_search_fast_path_never_sees_an_anchor() =>
        Assert.Null(RegexLiterals.TryGetWords(new Regex(EndAnchor.Rewrite("urgent$|override"), SpecOptions)));
}
