using System.Runtime.CompilerServices;

namespace PolicyEngine.Telemetry;

/// <summary>
/// The <c>tool</c> tag of a decision's metrics: never the client's tool name, which is unbounded (any name, of any
/// length, invalid ones included), but the key of the <c>tools</c> entry that decided (its pattern, so <c>read_*</c> for
/// every <c>read_…</c> tool), or one of a few fixed words. The policy bounds the set; the client cannot grow it.
/// </summary>
internal static class ToolTag
{
    /// <summary>The call was invalid (bad name or arguments), or the adapter refused it before the policy.</summary>
    public const string Invalid = "(invalid)";

    /// <summary>The tool matched <c>hide</c>.</summary>
    public const string Hidden = "(hidden)";

    /// <summary>No <c>tools</c> entry matched; <c>default</c> decided.</summary>
    public const string Unlisted = "(unlisted)";

    /// <summary>A rule of <c>all_tools</c> decided.</summary>
    public const string AllTools = "(all_tools)";

    /// <summary>No rule decided (<c>internal_error</c>, <c>capacity_exceeded</c>).</summary>
    public const string None = "(none)";

    // One tag per outcome, and outcomes are shared by every decision of their rule: tagging allocates nothing after a
    // rule's first decision, and a reloaded policy's outcomes take their tags with them when they are collected.
    private static readonly ConditionalWeakTable<DecisionOutcome, string> Tags = [];

    public static string Of(in Decision decision) => Tags.GetValue(decision.Shadowed ?? decision.Outcome, static o => FromRule(o.Code, o.Rule));

    /// <summary>The tag of a rule pointer: <c>/tools/KEY/…</c> gives KEY, unescaped (RFC 6901).</summary>
    internal static string FromRule(string code, string? rule)
    {
        if (code == DecisionCodes.InvalidCall)
        {
            return Invalid;
        }

        if (rule is null)
        {
            return None;
        }

        const string tools = "/tools/";
        if (rule.StartsWith(tools, StringComparison.Ordinal))
        {
            var end = rule.IndexOf('/', tools.Length);
            var token = end < 0 ? rule[tools.Length..] : rule[tools.Length..end];
            return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }

        return rule switch
        {
            "/default" => Unlisted,
            _ when rule.StartsWith("/hide", StringComparison.Ordinal) => Hidden,
            _ when rule.StartsWith("/all_tools", StringComparison.Ordinal) => AllTools,
            _ => None,
        };
    }
}
