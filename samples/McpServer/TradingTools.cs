using System.ComponentModel;
using ModelContextProtocol.Server;

namespace PolicyEngine.Samples.McpServer;

/// <summary>Realistic trading tools with fake data. The policy, not these methods, decides who may call them.</summary>
[McpServerToolType]
internal static class TradingTools
{
    private static int s_nextOrder = 1000;

    [McpServerTool(Name = "get_price"), Description("Gets the last traded price of a symbol.")]
    public static string GetPrice([Description("Ticker, e.g. BTCUSD")] string symbol) =>
        FormattableString.Invariant($"{symbol}: {PriceOf(symbol):0.00}");

    [McpServerTool(Name = "place_order"), Description("Places a limit order.")]
    public static string PlaceOrder(
        [Description("Ticker, upper case")] string symbol,
        [Description("buy or sell")] string side,
        [Description("Units to trade")] decimal quantity)
    {
        var id = Interlocked.Increment(ref s_nextOrder);
        return FormattableString.Invariant($"Order {id} placed: {side} {quantity} {symbol} at {PriceOf(symbol):0.00}.");
    }

    [McpServerTool(Name = "transfer"), Description("Transfers funds to another account.")]
    public static string Transfer([Description("Amount in USD")] decimal amount, [Description("Destination account")] string to) =>
        FormattableString.Invariant($"Transferred {amount} USD to {to}.");

    [McpServerTool(Name = "binance_us_cust_cancel_orders_symbol"), Description("Cancels every open order on a symbol.")]
    public static string CancelOrders([Description("Ticker")] string symbol) => $"All open orders on {symbol} cancelled.";

    [McpServerTool(Name = "admin_rotate_keys"), Description("Rotates the exchange API keys.")]
    public static string RotateKeys() => "API keys rotated.";

    private static decimal PriceOf(string symbol) =>
        100m + (Math.Abs(string.GetHashCode(symbol, StringComparison.Ordinal) % 100_000) / 100m);
}
