using System.Text.Json;

namespace PolicyEngine.Benchmarks.Redis;

/// <summary>The policy of the Redis benchmarks and probes: one tool per workload, every limit far from full except <see cref="ExhaustedTool"/>'s.</summary>
internal static class RedisWorkloads
{
    public const string OneLimitTool = "search";
    public const string ThreeLimitsTool = "transfer";
    public const string ExhaustedTool = "export";
    public const string DeniedTool = "nuke";

    /// <summary>Limits of 2·10⁹ per second (approximated in the safe direction, spec §4), as <see cref="Workloads.AllowPathLimit"/>.</summary>
    public const string Policy = """
        {"version": "1", "default": "deny", "tools": {
          "search": {"rate_limit": {"max": 2000000000, "window": 1}},
          "transfer": {"limits": [
            {"max": 2000000000, "window": 1},
            {"max": 2000000000, "window": 1, "cost": "args.amount"},
            {"max": 2000000000, "window": 1, "per": "global"}]},
          "export": {"rate_limit": {"max": 1, "window": 3600}},
          "nuke": {"action": "deny"}}}
        """;

    public static JsonElement Amount { get; } = Workloads.Element("""{"amount": 2.5}""");

    /// <summary>The peer's limit, the same as <see cref="OneLimitTool"/>'s.</summary>
    public const int PeerPermits = 2_000_000_000;
}
