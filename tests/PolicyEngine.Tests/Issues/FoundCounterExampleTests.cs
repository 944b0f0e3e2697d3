using System.Text.Json;

namespace PolicyEngine.Tests.Issues;

/// <summary>
/// Minimal counter-examples found by the properties, the differential test and the fuzzer. Each asserts
/// what the spec (or the public API's documentation) says, so it fails until the engine is fixed.
/// </summary>
public sealed class FoundCounterExampleTests
{
    private const string ApprovalPolicy = """{"version":"1","default":"allow","tools":{"t":{"action":"require_approval"}}}""";

    // Found by Totality (FsCheck): GetApprovalId threw InvalidOperationException from canonicalising
    // arguments that hold a lone surrogate escape. Its documentation promises an id or null.
    [Fact]
    public void GetApprovalId_with_a_lone_surrogate_in_the_arguments_does_not_throw()
    {
        using var engine = new PolicyEvaluator(Policy.Parse(ApprovalPolicy));
        var call = new ToolCall("t", JsonDocument.Parse("""{"a":"\ud800"}""").RootElement);
        var id = engine.GetApprovalId(call);
        Assert.Matches("^apr_[0-9a-f]{64}$", id);
        Assert.Equal(id, engine.Evaluate(call).ApprovalId);
        Assert.NotEqual(id, engine.GetApprovalId(new ToolCall("t", JsonDocument.Parse("""{"a":"\udc00"}""").RootElement)));
    }

    // Same root cause on the Evaluate path: the approval stage reads the whole arguments. Hostile line 11
    // asks for "indeterminate or a clean comparison", never an internal fault.
    [Fact]
    public void Evaluate_approval_stage_with_a_lone_surrogate_is_not_an_internal_error()
    {
        using var engine = new PolicyEvaluator(Policy.Parse(ApprovalPolicy));
        var call = new ToolCall("t", JsonDocument.Parse("""{"a":"\ud800"}""").RootElement);
        var d = engine.Evaluate(call);
        Assert.Equal((PolicyEffect.RequireApproval, DecisionCodes.ApprovalRequired), (d.Effect, d.Code));
    }

    // Found by Line11 tests: a lone surrogate in a property name anywhere in the arguments made every
    // policy answer internal_error, even one that reads no arguments.
    [Fact]
    public void Lone_surrogate_in_an_argument_name_is_not_an_internal_error()
    {
        using var engine = new PolicyEvaluator(Policy.Parse("""{"version":"1","default":"allow"}"""));
        var d = engine.Evaluate(new ToolCall("t", JsonDocument.Parse("""{"\udc00":1}""").RootElement));
        Assert.Contains(d.Code, new[] { DecisionCodes.DefaultAllow, DecisionCodes.InvalidCall });
    }

    // Found by Line11 tests: comparing a string value holding a lone surrogate answered internal_error
    // instead of "indeterminate or a clean comparison".
    [Fact]
    public void Lone_surrogate_in_a_compared_string_is_indeterminate_or_clean()
    {
        using var engine = new PolicyEvaluator(Policy.Parse("""{"version":"1","default":"allow","tools":{"t":{"deny_if":[{"conditions":[{"path":"args.a","op":"eq","value":"x"}]}]}}}"""));
        var d = engine.Evaluate(new ToolCall("t", JsonDocument.Parse("""{"a":"x\ud800"}""").RootElement));
        Assert.Contains(d.Code, new[] { DecisionCodes.Allowed, DecisionCodes.Indeterminate });
    }

    // Found by the fuzzer (call target, 60 s): JsonDocument accepts invalid UTF-8 inside strings and only
    // fails when one is read. An argument name with a byte 0xFF made GetApprovalId throw from canonical
    // JSON; with an approval rule, Evaluate answered internal_error. Minimal line: {"tool":"t","arguments":{"a\xFF":1}}
    [Fact]
    public void Invalid_utf8_in_an_argument_name_does_not_break_approval_ids()
    {
        byte[] line = [.. "{\"a"u8, 0xFF, .. "\":1}"u8];
        var args = JsonDocument.Parse(line).RootElement;
        using var engine = new PolicyEvaluator(Policy.Parse(ApprovalPolicy));
        var call = new ToolCall("t", args);
        Assert.Null(Record.Exception(() => engine.GetApprovalId(call)));
        Assert.NotEqual(DecisionCodes.InternalError, engine.Evaluate(call).Code);
    }
}
