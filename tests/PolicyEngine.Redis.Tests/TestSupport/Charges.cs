namespace PolicyEngine.Redis.Tests.TestSupport;

/// <summary>Builds charges and requests for tests that talk to the store directly.</summary>
internal static class Charges
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LimitCharge Count(string limit, string partition, TimeSpan window, int max, bool calendar = false) =>
        new(limit, partition, window, calendar, max, 1, max > 1000 && !calendar ? TimeSpan.FromTicks(window.Ticks / 64) : TimeSpan.Zero, refundable: true);

    public static LimitCharge Cost(string limit, string partition, TimeSpan window, decimal max, decimal cost, bool calendar = false) =>
        new(limit, partition, window, calendar, max, cost, max > 1000 && !calendar ? TimeSpan.FromTicks(window.Ticks / 64) : TimeSpan.Zero, refundable: true);

    public static StateRequest Request(DateTimeOffset now, params LimitCharge[] charges) => new(charges, now, "fp");

    public static async Task<StateVerdict> Acquire(this PolicyStateStore store, DateTimeOffset now, params LimitCharge[] charges) =>
        await store.AcquireAsync(Request(now, charges), TestContext.Current.CancellationToken);
}
