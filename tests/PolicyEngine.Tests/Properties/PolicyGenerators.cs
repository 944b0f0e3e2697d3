using System.Text.Json.Nodes;
using PolicyEngine.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace PolicyEngine.Tests.Properties;

/// <summary>What kinds of policy a generator may produce.</summary>
/// <param name="Limits">Rate limits (stateful).</param>
/// <param name="Approvals">approve_if and require_approval (stateful).</param>
/// <param name="Shadow">Shadow mode.</param>
public sealed record PolicyShape(bool Limits = true, bool Approvals = true, bool Shadow = true)
{
    /// <summary>No state and no shadow mode: for properties about effects.</summary>
    public static readonly PolicyShape Stateless = new(Limits: false, Approvals: false, Shadow: false);
}

/// <summary>
/// Random valid policies over small vocabularies, so that random calls hit them often. Everything is built
/// as fresh JSON nodes (a node can have only one parent) and handed out as text.
/// </summary>
public static class PolicyGenerators
{
    /// <summary>Tool names calls use (all valid, some with '/' and '.' to exercise pointer escaping).</summary>
    public static readonly string[] ToolNames = ["read", "write", "fs/read", "fs/write", "get_x", "admin_reset", "a.b", "x-1"];

    /// <summary>Keys of <c>tools</c>: exact names and globs.</summary>
    public static readonly string[] Patterns = ["read", "write", "fs/read", "get_x", "a.b", "fs/*", "*", "get_*", "*_reset", "*read*", "a*b", "*e", "x-*"];

    private static readonly string[] HidePatterns = ["admin_*", "fs/w*", "write", "zzz", "*x*"];

    /// <summary>Paths conditions read.</summary>
    public static readonly string[] Paths = ["args.a", "args.b", "args.n", "args.o.x", "args.l[0]", "args[\"x.y\"]", "context.role", "context.user", "session", "tool", "args.zz"];

    /// <summary>Scalar literals as raw JSON, including numeric strings, nulls and exact-number traps.</summary>
    public static readonly string[] Scalars =
    [
        "0", "1", "2", "5", "10", "100", "-1", "1.0", "2.5", "1e1", "-0", "9007199254740993", "9007199254740992", "10000", "10000.0000000000000000001",
        "\"5\"", "\"10\"", "\"2e1\"", "\"abc\"", "\"ABC\"", "\"\"", "\"true\"", "\"false\"", "true", "false", "null",
        "\"a\"", "\"admin\"", "\"user\"", "\"read\"", "\"s1\"",
        // Turkish I: under tr-TR a culture-aware comparison folds these differently from ordinal.
        "\"I\"", "\"i\"", "\"\u0130\"", "\"\u0131\"", "\"FILE\"", "\"file\"", "\"f\u0130le\"",
        "999999999999999", "1000000000000000", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    ];

    private static readonly string[] Numbers = ["0", "1", "2", "5", "10", "100", "-1", "1.0", "2.5", "1e1", "-0", "9007199254740993", "10000.0000000000000000001", "0.1", .. WideNumbers.Boundaries];
    private static readonly string[] Strings = ["a", "A", "b", "ab", "", "ad", "re", "s", "1", "/etc/", "ab\n", "I", "i", "\u0130", "\u0131", "fi", "FI"];
    /// <summary>Every message the generated policies give (on_fail, on_deny, reason, on_limit).</summary>
    public static readonly string[] PolicyMessages = ["Not now.", "Ask a human.", "Needs it.", "Too much.", "Blocked.", "Big one.", "Slow down."];

    private static readonly string[] Regexes = ["^a", "b$", "a.c", "[0-9]+", "^$", "(ab|cd)", "^re", "(?m)b$", "b[$]|^a$", "(?#$)b$"];
    private static readonly string[] Actions = ["allow", "deny"];
    private static readonly string[] ActionsWithApproval = ["allow", "deny", "require_approval"];
    private static readonly string[] Ops = ["eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "starts_with", "ends_with", "contains", "exists"];
    private static readonly string[] Windows = ["1", "5", "10", "60", "\"500ms\"", "\"2s\"", "\"1m\"", "2.5", "\"1h\"", "\"minute\"", "\"minute\"", "\"hour\"", "\"day\""];
    private static readonly string[] Pers = ["session", "global", "context.user", "args.a", "args.o"];

    /// <summary>A random valid policy document's text.</summary>
    public static Gen<string> Policy(PolicyShape shape) => PolicyNode(shape).Select(p => p.ToJsonString());

    /// <summary>A random valid policy as a JSON object.</summary>
    public static Gen<JsonObject> PolicyNode(PolicyShape shape) =>
        from dflt in Gen.Elements("allow", "deny")
        from mode in shape.Shadow ? Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>("enforce")), (2, Gen.Constant<string?>("shadow"))) : Gen.Constant<string?>(null)
        from hide in Maybe(3, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Gen.Elements(HidePatterns), k)))
        from allTools in Maybe(3, Block(shape, inAllTools: true))
        from keys in Gen.SubListOf(Patterns).SelectMany(l => Gen.Shuffle(l.Take(4).ToArray()))
        from blocks in Gen.ArrayOf(Block(shape, inAllTools: false), keys.Length)
        from ttl in Maybe(2, Gen.Elements("\"30s\"", "5", "\"1m\""))
        from extra in Gen.Elements(0, 0, 0, 1, 2)
        select Assemble(dflt, mode, hide, allTools, keys, blocks, ttl, extra);

    private static JsonObject Assemble(string dflt, string? mode, string[]? hide, JsonObject? allTools, string[] keys, JsonObject[] blocks, string? ttl, int extra)
    {
        var p = new JsonObject { ["version"] = "1", ["default"] = dflt };
        if (extra == 1) p["$schema"] = "https://example.invalid/policy.json";
        if (extra == 2) p["x-owner"] = new JsonObject { ["anything"] = new JsonArray(1, "two") };
        if (mode is not null) p["mode"] = mode;
        if (hide is not null) p["hide"] = new JsonArray(hide.Distinct().Select(h => (JsonNode)JsonValue.Create(h)).ToArray());
        if (allTools is not null) p["all_tools"] = allTools;
        if (keys.Length > 0)
        {
            var tools = new JsonObject();
            for (var i = 0; i < keys.Length; i++) tools[keys[i]] = blocks[i];
            p["tools"] = tools;
        }

        if (ttl is not null) p["approval_ttl"] = JsonNode.Parse(ttl);
        return p;
    }

    /// <summary>A rule block (§2); <c>action</c> and <c>pin</c> only outside <c>all_tools</c>.</summary>
    public static Gen<JsonObject> Block(PolicyShape shape, bool inAllTools) =>
        from action in inAllTools ? Gen.Constant<string?>(null) : Maybe(4, Gen.Elements(shape.Approvals ? ActionsWithApproval : Actions))
        from reason in Maybe(2, Gen.Elements("Not now.", "Ask a human."))
        from require in Maybe(3, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(RequireItem(), k)))
        from denyIf in Maybe(3, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Entry("on_deny"), k)))
        from approveIf in shape.Approvals ? Maybe(5, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Entry("reason"), k))) : Gen.Constant<JsonObject[]?>(null)
        from rateLimit in shape.Limits ? Maybe(4, Limit()) : Gen.Constant<JsonObject?>(null)
        from limits in shape.Limits ? Maybe(5, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Limit(), k))) : Gen.Constant<JsonObject[]?>(null)
        from pin in inAllTools ? Gen.Constant<string?>(null) : Maybe(8, Gen.Elements(CallGenerators.PinA, CallGenerators.PinB))
        select BuildBlock(action, reason, require, denyIf, approveIf, rateLimit, limits, pin);

    private static JsonObject BuildBlock(string? action, string? reason, JsonNode[]? require, JsonObject[]? denyIf, JsonObject[]? approveIf, JsonObject? rateLimit, JsonObject[]? limits, string? pin)
    {
        var b = new JsonObject();
        if (pin is not null) b["pin"] = pin;
        if (action is not null)
        {
            b["action"] = action;
            if (reason is not null) b["reason"] = reason;
        }

        if (require is not null) b["require"] = new JsonArray(require);
        if (denyIf is not null) b["deny_if"] = new JsonArray(denyIf.Cast<JsonNode>().ToArray());
        if (approveIf is not null) b["approve_if"] = new JsonArray(approveIf.Cast<JsonNode>().ToArray());
        if (rateLimit is not null) b["rate_limit"] = rateLimit;
        if (limits is not null) b["limits"] = new JsonArray(limits.Cast<JsonNode>().ToArray());
        return b;
    }

    /// <summary>A <c>require</c> item: a path string, or a condition with an optional <c>on_fail</c>.</summary>
    public static Gen<JsonNode> RequireItem() => Gen.Frequency(
        (1, Gen.Elements(Paths).Select(p => (JsonNode)JsonValue.Create(p))),
        (3, from c in Condition(2)
            from onFail in Maybe(2, Gen.Elements("Needs it.", "Too much."))
            select WithMessage(c, "on_fail", onFail)));

    /// <summary>A <c>deny_if</c> / <c>approve_if</c> entry; an empty <c>conditions</c> always fires.</summary>
    public static Gen<JsonObject> Entry(string messageKey) =>
        from n in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Constant(1)), (2, Gen.Constant(2)))
        from conds in Gen.ArrayOf(Condition(2), n)
        from message in Maybe(2, Gen.Elements("Blocked.", "Big one."))
        select (JsonObject)WithMessage(new JsonObject { ["conditions"] = new JsonArray(conds) }, messageKey, message);

    private static JsonNode WithMessage(JsonNode node, string key, string? message)
    {
        if (message is not null) node[key] = message;
        return node;
    }

    /// <summary>A condition: mostly leaves, sometimes combinators (depth-bounded).</summary>
    public static Gen<JsonNode> Condition(int depth) => depth == 0
        ? Leaf()
        : Gen.Frequency(
            (6, Leaf()),
            (1, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Condition(depth - 1), k)).Select(cs => (JsonNode)new JsonObject { ["all"] = new JsonArray(cs) })),
            (1, Gen.Choose(1, 2).SelectMany(k => Gen.ArrayOf(Condition(depth - 1), k)).Select(cs => (JsonNode)new JsonObject { ["any"] = new JsonArray(cs) })),
            (1, Condition(depth - 1).Select(c => (JsonNode)new JsonObject { ["not"] = c })));

    private static Gen<JsonNode> Leaf() =>
        from path in Gen.Elements(Paths)
        from op in Gen.Elements(Ops)
        from literal in Literal(op)
        from ignoreCase in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        select MakeLeaf(path, op, literal, ignoreCase && op is "eq" or "neq" or "in" or "not_in" or "regex" or "starts_with" or "ends_with" or "contains");

    private static JsonNode MakeLeaf(string path, string op, string literal, bool ignoreCase)
    {
        var leaf = new JsonObject { ["path"] = path, ["op"] = op, ["value"] = JsonNode.Parse(literal) };
        if (ignoreCase) leaf["ignore_case"] = true;
        return leaf;
    }

    private static Gen<string> Literal(string op) => op switch
    {
        "eq" or "neq" => Gen.Elements(Scalars),
        "in" or "not_in" => Gen.Choose(1, 3).SelectMany(k => Gen.ArrayOf(Gen.Elements(Scalars), k)).Select(a => "[" + string.Join(",", a) + "]"),
        "lt" or "lte" or "gt" or "gte" => Gen.Elements(Numbers),
        "regex" => Gen.Elements(Regexes).Select(Quote),
        "starts_with" or "ends_with" => Gen.Elements(Strings).Select(Quote),
        "contains" => Gen.Frequency((4, Gen.Elements(Strings).Select(Quote)), (1, Gen.Elements(Scalars))),
        "exists" => Gen.Frequency((4, Gen.Constant("true")), (1, Gen.Constant("false"))),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    /// <summary>A limit (§4) with small <c>max</c> and windows so that sequences reach it.</summary>
    public static Gen<JsonObject> Limit() =>
        from withCost in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from max in withCost ? Gen.Elements("1", "2", "2.5", "5") : Gen.Elements("1", "2", "3")
        from window in Gen.Elements(Windows)
        from per in Maybe(2, Gen.Elements(Pers))
        from onLimit in Maybe(3, Gen.Elements("Slow down."))
        from name in Maybe(5, Gen.Elements("burst"))
        select BuildLimit(max, window, per, withCost, onLimit, name);

    private static JsonObject BuildLimit(string max, string window, string? per, bool withCost, string? onLimit, string? name)
    {
        var l = new JsonObject { ["max"] = JsonNode.Parse(max), ["window"] = JsonNode.Parse(window) };
        if (per is not null) l["per"] = per;
        if (withCost) l["cost"] = "args.n";
        if (onLimit is not null) l["on_limit"] = onLimit;
        if (name is not null) l["name"] = name;
        return l;
    }

    /// <summary>Present one time in <paramref name="oneIn"/>, else null.</summary>
    public static Gen<T?> Maybe<T>(int oneIn, Gen<T> gen) where T : class =>
        Gen.Frequency((oneIn - 1, Gen.Constant<T?>(null)), (1, gen.Select(x => (T?)x)));
}
