using System.Globalization;
using static PolicyEngine.Tests.Security.SecurityFixtures;

namespace PolicyEngine.Tests.Security;

/// <summary>Hostile inputs, "Tool names" (lines 1–3).</summary>
public sealed class ToolNameTests
{
    private const string Listing = """{"version":"1","default":"allow","tools":{"read_file":{},"cancel_all_orders":{"action":"deny"},"kill":{"action":"deny"},"items":{"action":"deny"}}}""";

    [Theory]
    [InlineData("read_file ")]
    [InlineData("read\u200bfile")]
    [InlineData("r\u0435ad_file")] // Cyrillic е
    [InlineData("\uff52\uff45\uff41\uff44_file")] // fullwidth
    [InlineData("read file")]
    [InlineData("read_file\n")]
    public void Line01_NameOutsideMcpCharacterSet_IsInvalidCall(string tool)
    {
        var d = Decide(Listing, Call(tool));
        Assert.Equal((PolicyEffect.Deny, DecisionCodes.InvalidCall, (string?)null), (d.Effect, d.Code, d.Rule));
    }

    [Fact]
    public void Line02_NamesAreComparedOrdinally_CaseVariantDoesNotMatchDenyEntry()
    {
        var d = Decide(Listing, Call("Cancel_All_Orders"));
        Assert.Equal((PolicyEffect.Allow, DecisionCodes.DefaultAllow, "/default"), (d.Effect, d.Code, d.Rule));
        Assert.Equal(DecisionCodes.Denied, Decide(Listing, Call("cancel_all_orders")).Code);
    }

    [Theory]
    [InlineData("\u212Aill")] // Kelvin sign, folds to K
    [InlineData("\u0130tems")] // Turkish dotted capital I
    [InlineData("\u0131tems")] // Turkish dotless small i
    public void Line02_UnicodeLookalikesNeverMatch_TheyAreInvalidCalls(string tool)
    {
        Assert.Equal(DecisionCodes.InvalidCall, Decide(Listing, Call(tool)).Code);
    }

    [Fact]
    public void Line02_UnderTurkishCulture_NamesGlobsAndIgnoreCaseStayOrdinal()
    {
        const string policy = """
            {"version":"1","default":"allow","tools":{
              "items":{"action":"deny"},
              "*_id":{"deny_if":[{"conditions":[{"path":"args.v","op":"eq","value":"i","ignore_case":true}],"on_deny":"dotted"}]}}}
            """;
        var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("tr-TR");
            Assert.Equal(DecisionCodes.DefaultAllow, Decide(policy, Call("ITEMS")).Code);
            Assert.Equal(DecisionCodes.Denied, Decide(policy, Call("items")).Code);
            // OrdinalIgnoreCase: "I" equals "i" in every culture; "İ" never does.
            Assert.Equal(DecisionCodes.Denied, Decide(policy, Call("user_id", """{"v":"I"}""")).Code);
            Assert.Equal(DecisionCodes.Allowed, Decide(policy, Call("user_id", """{"v":"\u0130"}""")).Code);
            Assert.Equal(DecisionCodes.DefaultAllow, Decide(policy, Call("user_ID")).Code);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
        }
    }

    [Fact]
    public void Line03_NameOf129Characters_IsInvalidCall_And128IsAccepted()
    {
        Assert.Equal(DecisionCodes.InvalidCall, Decide(Listing, Call(new string('x', 129))).Code);
        Assert.Equal(DecisionCodes.DefaultAllow, Decide(Listing, Call(new string('x', 128))).Code);
    }

    [Fact]
    public void Line03_EmptyName_IsInvalidCall()
    {
        Assert.Equal(DecisionCodes.InvalidCall, Decide(Listing, Call("")).Code);
    }
}
