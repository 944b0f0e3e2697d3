using PolicyEngine.Compilation;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Tests.DecisionTree;

public class PathAndGlobTests
{
    [Theory]
    [InlineData("args", (int)PathRoot.Args, "")]
    [InlineData("args.a", (int)PathRoot.Args, "a")]
    [InlineData("args.order.legs[0].qty", (int)PathRoot.Args, "order|legs|#0|qty")]
    [InlineData("args[\"x.y\"]", (int)PathRoot.Args, "x.y")]
    [InlineData("args[\"a\\\"b\"][12]", (int)PathRoot.Args, "a\"b|#12")]
    [InlineData("args[\"\"]", (int)PathRoot.Args, "")]
    [InlineData("context.user", (int)PathRoot.Context, "")]
    [InlineData("context.user.id", (int)PathRoot.Context, "id")]
    [InlineData("session", (int)PathRoot.Session, "")]
    [InlineData("tool", (int)PathRoot.Tool, "")]
    public void Paths_split_into_segments(string text, int rootValue, string segments)
    {
        Assert.True(PathParser.TryParse(text, out var path, out var error), error);
        Assert.Equal((PathRoot)rootValue, path!.Root);
        var joined = string.Join("|", path.Segments.Select(s => s.Name ?? "#" + s.Index));
        Assert.Equal(segments, joined);
        Assert.Equal(segments.Length == 0 && text != "args[\"\"]" ? 0 : segments.Split('|').Length, path.Segments.Length);
        Assert.All(path.Segments.Where(s => s.Name is not null), s => Assert.Equal(System.Text.Encoding.UTF8.GetBytes(s.Name!), s.Utf8Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("arguments.a")]
    [InlineData("args.")]
    [InlineData("args..a")]
    [InlineData("args[01]")]
    [InlineData("args[-1]")]
    [InlineData("args[1")]
    [InlineData("args[\"a\"")]
    [InlineData("args a")]
    [InlineData("context")]
    [InlineData("context.")]
    [InlineData("sessions")]
    [InlineData("argsx")]
    [InlineData("args[9999999999]")]
    public void Bad_paths_are_rejected(string text) => Assert.False(PathParser.TryParse(text, out _, out _));

    [Theory]
    [InlineData("binance_*", "binance_us_get_price", true)]
    [InlineData("binance_*", "binance_", true)]
    [InlineData("binance_*", "Binance_x", false)]
    [InlineData("*_orders", "cancel_all_orders", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("*", "anything", true)]
    [InlineData("**", "", true)]
    [InlineData("get.*", "get.x", true)]
    [InlineData("get.*", "getx", false)]
    [InlineData("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Globs_match_ordinally_with_star_only(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new Glob(pattern).IsMatch(name));
}
