using PolicyEngine.Risk;

namespace PolicyEngine.Tests.Risk;

public sealed class WordSplitterTests
{
    [Theory]
    [InlineData("binance_us_cust_cancel_orders_symbol", "binance us cust cancel orders symbol")]
    [InlineData("BinanceOptionsCancelAllOrders", "binance options cancel all orders")]
    [InlineData("getHTTPResponse", "get http response")]
    [InlineData("pods-exec.v2", "pods exec v2")]
    [InlineData("erc20Transfer", "erc20 transfer")]
    [InlineData("", "")]
    public void Names_split_on_separators_and_camel_case_into_lower_case_words(string name, string words) =>
        Assert.Equal(words, string.Join(' ', WordSplitter.Split(name)));

    [Fact]
    public void At_most_MaxWords_words_are_read() =>
        Assert.Equal(WordSplitter.MaxWords, WordSplitter.Split(string.Concat(Enumerable.Repeat("a ", WordSplitter.MaxWords + 10))).Count);
}
