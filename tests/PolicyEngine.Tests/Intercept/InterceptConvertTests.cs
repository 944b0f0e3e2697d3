using PolicyEngine.Tests.Cli;
using PolicyEngine.Tests.TestSupport;

namespace PolicyEngine.Tests.Intercept;

/// <summary><c>policyengine convert</c> (issue 21): the same decisions from the Intercept document and its JSON, or a refusal.</summary>
[Collection(CliProcess.Collection)]
public sealed class InterceptConvertTests : IDisposable
{
    // Every construct that the JSON form says exactly: deny, evaluate with eq/neq/in/not_in/regex/contains/exists,
    // rate_limit, counters with a fixed increment, "*" rules, hide, default.
    private const string Convertible = """
        version: "1"
        default: deny
        hide: [drop]
        tools:
          push:
            rules:
              - name: "main only"
                conditions:
                  - {path: args.branch, op: regex, value: "^(main|release/[[:digit:]]+)$"}
                  - {path: args.force, op: neq, value: true}
                  - {path: args.remote, op: in, value: ["origin", 5]}
                  - {path: args.owner.id, op: not_in, value: ["root", null]}
                  - {path: args.message, op: contains, value: "ok"}
                  - {path: args.sig, op: exists, value: true}
                  - {path: args.level, op: eq, value: 2}
                on_deny: "push refused"
              - name: "hourly"
                rate_limit: 3/hour
          read: {rules: []}
          wipe:
            rules:
              - {name: "never", action: deny}
          "*":
            rules:
              - name: "global"
                conditions: [{path: state._global.calls, op: lte, value: 9}]
                state: {counter: calls, window: minute, increment: 2}
        """;

    private static readonly string[] Calls =
    [
        """{"branch": "main", "force": false, "remote": "origin", "owner": {"id": 7}, "message": "ok!", "sig": "x", "level": 2}""",
        """{"branch": "main", "force": false, "remote": "5", "owner": {"id": "7"}, "message": "ok", "sig": 1, "level": "2"}""",
        """{"branch": "main", "force": false, "remote": 5.0, "owner": {"id": 1}, "message": ["ok"], "sig": 0, "level": 2.0}""",
        """{"branch": "main", "force": "true", "remote": "origin", "owner": {"id": 7}, "message": "ok", "sig": "x", "level": 2}""",
        """{"branch": "main\n", "remote": "origin", "owner": {"id": 7}, "message": "ok", "sig": "x", "level": 2}""",
        """{"branch": "release/١", "remote": "origin", "owner": {"id": 7}, "message": "ok", "sig": "x", "level": 2}""",
        """{"branch": "release/12", "remote": "origin", "owner": {"id": "root"}, "message": "ok", "sig": "x", "level": 2}""",
        """{"branch": "main", "remote": "origin", "owner": {"id": 0.0}, "message": "ok", "sig": null, "level": 2}""",
        """{"branch": "main", "remote": "origin", "owner": {"id": 3}, "message": "ok", "sig": "x", "level": "2.0"}""",
        """{"branch": "main", "remote": "origin", "owner": 3, "message": "nope", "sig": "x", "level": 2}""",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_converted_json_decides_every_call_as_the_intercept_document_does()
    {
        var input = _folder.Write("policy.yaml", Convertible);
        string output = Path.Combine(_folder.Path, "policy.json");
        var run = CliProcess.Run("convert", input, "-o", output);
        Assert.True(run.ExitCode == 0, run.Stderr);
        string json = File.ReadAllText(output);
        Assert.StartsWith("{", json, StringComparison.Ordinal);

        using var intercept = Engine.For(Convertible);
        using var converted = Engine.For(json);
        var tools = new[] { "push", "read", "wipe", "drop", "other" };
        int allowed = 0;
        for (int round = 0; round < 3; round++)
        {
            foreach (string tool in tools)
            {
                foreach (string args in Calls)
                {
                    var a = intercept.Evaluate(Engine.Call(tool, args));
                    var b = converted.Evaluate(Engine.Call(tool, args));
                    Assert.Equal((a.Effect, a.Code, a.Rule, a.Message, a.RetryAfter), (b.Effect, b.Code, b.Rule, b.Message, b.RetryAfter));
                    allowed += a.IsAllowed ? 1 : 0;
                }
            }
        }

        Assert.InRange(allowed, 1, 5); // some allowed, then the global limit of 4 calls a minute denies
    }

    [Fact]
    public void A_part_the_json_form_would_widen_is_reported_and_nothing_is_written()
    {
        var input = _folder.Write("spend.yaml", "version: \"1\"\ntools:\n  pay:\n    rules:\n      - name: cap\n        conditions: [{path: args.amount, op: lte, value: 500}]\n");
        string output = Path.Combine(_folder.Path, "spend.json");
        var run = CliProcess.Run("convert", input, "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(input + ":6:22: /tools/pay/rules/0/conditions/0: Not converted: this 'lte' (an Intercept ordering", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_document_that_is_not_intercepts_is_not_converted()
    {
        Assert.False(Policy.TryConvertIntercept("""{"version": "1", "default": "allow"}"""u8, out _, out var errors));
        Assert.Contains("not an Intercept document", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
