using System.Text.Json;
using PolicyEngine.Document;

namespace PolicyEngine.Testing;

/// <summary>
/// Carries out the steps of one test against one evaluator on a <see cref="TestClock"/>, answering each as
/// <c>policyengine eval</c> answers its line (docs/policy-language.md#command-line). Never throws for what a step holds: a step that is not
/// a well-formed call is answered as an invalid call, as eval answers it.
/// </summary>
internal sealed class StepRunner(PolicyEvaluator evaluator, TestClock clock)
{
    // Deep enough that the engine, not the runner, rejects arguments nested past its own limit of 64 levels.
    private static readonly JsonDocumentOptions RawOptions = new() { MaxDepth = 256 };

    /// <summary>The answer to <paramref name="step"/>, as a JSON object of UTF-8 bytes.</summary>
    public byte[] Answer(in TestStep step)
    {
        if (step.At is { } at)
        {
            clock.AdvanceTo(at);
        }

        switch (step.Kind)
        {
            case TestStepKind.Call:
                return Call(step.Body);
            case TestStepKind.Approve:
                return Approve(step.Body);
            case TestStepKind.Reload:
                return Reload(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(step.Body));
            default:
                return Raw(step.Body.GetString()!);
        }
    }

    private byte[] Call(JsonElement fields)
    {
        var error = CallReader.Read(fields, allowAt: true, out var call, out var at);
        if (error is not null)
        {
            return Answers.InvalidCall(error);
        }

        if (at is { } seconds)
        {
            clock.AdvanceTo(seconds);
        }

        return Answers.Decision(evaluator.Evaluate(call));
    }

    private byte[] Approve(JsonElement fields)
    {
        // The id the call would get now; an invalid call has none and so cannot be approved.
        var ok = CallReader.Read(fields, allowAt: false, out var call, out _) is null &&
            evaluator.GetApprovalId(call) is { } id && evaluator.Approve(id);
        return Answers.Approved(ok);
    }

    private byte[] Reload(ReadOnlySpan<byte> document)
    {
        if (!Policy.TryParse(document, out var policy, out var errors))
        {
            // Fail closed: a rejection must read as one, even if the validator gave no reason.
            return Answers.Reloaded(errors.Count > 0 ? errors : [new PolicyError("", 1, 1, ValidationMessages.DocumentRejected)]);
        }

        evaluator.Reload(policy);
        return Answers.Reloaded([]);
    }

    // A raw line is read the way eval reads it: not JSON, not an object or a duplicate key outside the
    // arguments and a reloaded policy (which the engine and the validator judge themselves) is an invalid call.
    private byte[] Raw(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, RawOptions);
        }
        catch (JsonException e)
        {
            return Answers.InvalidCall(ValidationMessages.LineNotJson(e.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Answers.InvalidCall(ValidationMessages.StepNotObject);
            }

            var isApprove = root.TryGetProperty("approve", out var approve);
            var isReload = root.TryGetProperty("reload", out var reload);
            var problem = isApprove && isReload ? ValidationMessages.ApproveAndReload : CallReader.FindDuplicate(root);
            if (problem is null && (isApprove || isReload) && root.TryGetProperty("at", out var at))
            {
                if (TryAt(at, out var seconds))
                {
                    clock.AdvanceTo(seconds);
                }
                else
                {
                    problem = ValidationMessages.AtNotSeconds;
                }
            }

            problem ??= isApprove || isReload ? CallReader.OnlyKey(root, isApprove ? "approve" : "reload") : null;
            return (problem, isApprove, isReload) switch
            {
                (null, true, _) => Approve(approve),
                (null, _, true) => Reload(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(reload)),
                (null, _, _) => Call(root),
                (_, true, _) => Answers.Approved(false),
                (_, _, true) => Answers.Reloaded([new PolicyError("", 1, 1, problem)]),
                _ => Answers.InvalidCall(problem),
            };
        }
    }

    private static bool TryAt(JsonElement value, out decimal seconds)
    {
        seconds = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out seconds) && seconds >= 0 && seconds <= TestClock.MaxSeconds;
    }
}
