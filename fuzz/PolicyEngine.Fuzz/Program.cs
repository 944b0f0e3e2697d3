using System.Text.Json;
using SharpFuzz;

namespace PolicyEngine.Fuzz;

/// <summary>
/// AFL++ targets for the engine (issue 6) and the MCP server filter (<see cref="McpTarget"/>). Only documented exceptions are caught: none may escape
/// <see cref="Policy.TryParse(ReadOnlySpan{byte}, out Policy?, out IReadOnlyList{PolicyError})"/> or
/// <see cref="PolicyEvaluator.Evaluate(in ToolCall)"/>; a <see cref="JsonException"/> from reading the call line in
/// the <c>call</c> target is the CLI's "not valid JSON" case. Anything else escapes and AFL records a crash.
/// </summary>
internal static class Program
{
    // A fixed policy that exercises every stage of §7, so call lines reach deep code.
    private const string FixedPolicy = """
        {"version":"1","default":"deny","hide":["admin_*"],"approval_ttl":"1m",
         "all_tools":{"deny_if":[{"conditions":[{"path":"args.cmd","op":"contains","value":"rm -rf"}],"on_deny":"no"}],
                      "limits":[{"max":1000,"window":"1m","per":"global"}]},
         "tools":{
          "transfer":{"require":["args.to",{"path":"args.amount","op":"lte","value":10000,"on_fail":"too much"}],
                      "deny_if":[{"conditions":[{"any":[{"path":"args.to","op":"in","value":["blocked",5,null,true]},{"not":{"path":"context.role","op":"eq","value":"admin","ignore_case":true}}]}],"on_deny":"n"}],
                      "approve_if":[{"conditions":[{"path":"args.amount","op":"gt","value":1000}],"reason":"big"}],
                      "limits":[{"max":5000,"window":"1d","cost":"args.amount","per":"context.user"},{"max":3,"window":10,"per":"args.to"}]},
          "read_*":{"deny_if":[{"conditions":[{"path":"args.path","op":"regex","value":"^/(etc|proc)/"},{"path":"args[\"x.y\"][0]","op":"exists","value":true}]}],
                    "rate_limit":{"max":2,"window":"500ms"}},
          "pinned":{"pin":"sha256:0312bae47b607f457558b90ea35288014b3a11901121db60fd6e4e85db71e56b"},
          "ask":{"action":"require_approval","reason":"human"},
          "*":{"require":[{"path":"tool","op":"ends_with","value":"x","ignore_case":true}]}}}
        """;

    private static readonly Policy Fixed = Policy.Parse(FixedPolicy);

    /// <summary>
    /// Every input gets a new evaluator on this clock, which never moves: one evaluator kept across executions
    /// on the real clock filled its limits after about a thousand runs, and from then on every call was
    /// rate_limited and deeper code was never reached. A fresh one makes each input reproducible on its own.
    /// </summary>
    private static readonly PolicyEngineOptions Options = new() { TimeProvider = new StoppedClock() };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("policy" or "call" or "mcp"))
        {
            Console.Error.WriteLine("usage: PolicyEngine.Fuzz policy|call|mcp [FILE…]   (no FILE: run under AFL++)");
            return 2;
        }

        Action<Stream> target = args[0] switch
        {
            "policy" => PolicyTarget,
            "call" => CallTarget,
            _ => McpTarget.Run,
        };
        if (args.Length > 1)
        {
            // Replay mode: run saved inputs (the corpus, or crashes AFL found) without AFL. Every file runs;
            // each one that throws is named, and the exit code is 1 if any did.
            int failures = 0;
            foreach (var file in args.Skip(1))
            {
                try
                {
                    using var stream = File.OpenRead(file);
                    target(stream);
                }
#pragma warning disable CA1031 // replay reports every exception, whatever its type, as the fuzzer would
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures++;
                    Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
                }
            }

            Console.WriteLine($"replayed {args.Length - 1} input(s), {failures} failed");
            return failures == 0 ? 0 : 1;
        }

        Fuzzer.OutOfProcess.Run(target);
        return 0;
    }

    /// <summary>Target 1: policy text → validate and compile; a valid policy also decides one call.</summary>
    private static void PolicyTarget(Stream input)
    {
        var bytes = ReadAll(input);
        if (Policy.TryParse(bytes, out var policy, out var errors))
        {
            using var evaluator = new PolicyEvaluator(policy, Options);
            using var args = JsonDocument.Parse("""{"a":1,"amount":"2e4","to":null,"l":[1,"x"]}""");
            _ = evaluator.Evaluate(new ToolCall("read_file", args.RootElement) { SessionId = "s" });
            _ = policy.Fingerprint;
        }
        else if (errors.Count == 0)
        {
            throw new InvalidOperationException("A rejected document must come with at least one error.");
        }
    }

    /// <summary>Target 2: one §9 call line → decision against <see cref="FixedPolicy"/>, read as the CLI reads it.</summary>
    private static void CallTarget(Stream input)
    {
        JsonDocument line;
        try
        {
            line = JsonDocument.Parse(ReadAll(input), new JsonDocumentOptions { MaxDepth = 100_000 });
        }
        catch (JsonException)
        {
            return; // not JSON: the CLI answers invalid_call without reaching the engine
        }

        using (line)
        {
            if (!TryReadCall(line.RootElement, out var call)) return;
            using var engine = new PolicyEvaluator(Fixed, Options);
            var decision = engine.Evaluate(call);
            if (decision.Code == DecisionCodes.InternalError)
                throw new InvalidOperationException("Evaluate answered internal_error: an exception was caught inside the engine.");
            if (engine.GetApprovalId(call) is { } id && engine.Approve(id))
            {
                // The approved call goes on through the approval stage and spends: the limits' paths run too.
                if (engine.Evaluate(call).Code == DecisionCodes.InternalError)
                    throw new InvalidOperationException("Evaluate answered internal_error after an approval.");
            }
        }
    }

    /// <summary>
    /// Reads the call fields as the CLI does. This is the harness's part, not the engine's: JsonDocument
    /// does not check UTF-8 or surrogate escapes in strings and names until they are read (even
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> throws
    /// <see cref="InvalidOperationException"/> on a lone surrogate in a sibling name). The CLI must answer
    /// such a line with invalid_call; the harness skips it. Hostile text inside the arguments and the
    /// definition is not read here and still reaches the engine, as a host can hand it such elements.
    /// </summary>
    private static bool TryReadCall(JsonElement root, out ToolCall call)
    {
        call = default;
        try
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String) return false;
            string? session = null;
            if (root.TryGetProperty("session", out var s) && s.ValueKind == JsonValueKind.String) session = s.GetString();
            call = new ToolCall(tool.GetString()!, root.TryGetProperty("arguments", out var a) ? a : default)
            {
                SessionId = session,
                Context = root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object
                    ? c.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
                    : null,
                Definition = root.TryGetProperty("definition", out var d) ? d : default,
            };
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static byte[] ReadAll(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>A clock that stands still, so a fuzz input decides the same way however long the run has gone.</summary>
internal sealed class StoppedClock : TimeProvider
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => At;

    public override long GetTimestamp() => 0;
}
