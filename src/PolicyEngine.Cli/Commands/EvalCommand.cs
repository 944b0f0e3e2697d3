using PolicyEngine.Cli.Output;
using PolicyEngine.Cli.Steps;
using PolicyEngine.Document;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>policyengine eval --policy POLICY --calls FILE.jsonl</c>: runs every step of the calls file against one
/// evaluator on a <see cref="VirtualClock"/> and writes one answer per line, in order (docs/policy-language.md#command-line): every line gets
/// exactly one answer, whatever it holds; a blank line is an invalid call. An error about a line names its
/// 1-based line number in the file.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The longest line read; a longer one is answered as an invalid call without being held in memory.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    public static int Run(string policyPath, string callsPath, Stream stdout, TextWriter stderr)
    {
        var policy = PolicyFile.Load(policyPath, stderr, out var exitCode);
        if (policy is null)
        {
            return exitCode;
        }

        Stream calls;
        try
        {
            calls = FileInput.Open(callsPath);
        }
        catch (FileInputException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return ExitCodes.Failure;
        }

        var clock = new VirtualClock();
        using var evaluator = new PolicyEvaluator(policy, new PolicyEngineOptions { TimeProvider = clock });
        using var output = new BufferedStream(stdout, 64 * 1024);
        using var answers = new AnswerWriter(output);
        var interactive = callsPath == "-";
        using (calls)
        {
            var lines = new LineReader(calls, MaxLineBytes);
            for (var number = 1; lines.TryReadLine(out var line, out var tooLong); number++)
            {
                if (tooLong)
                {
                    answers.WriteInvalidCall(OnLine(number, ValidationMessages.LineTooLong(MaxLineBytes)));
                }
                else if (IsBlank(line.Span))
                {
                    answers.WriteInvalidCall(OnLine(number, ValidationMessages.LineBlank));
                }
                else
                {
                    using var step = StepReader.Read(line);
                    Answer(step, number, evaluator, clock, answers);
                }

                if (interactive)
                {
                    answers.Flush();
                }
            }
        }

        answers.Flush();
        return ExitCodes.Ok;
    }

    private static void Answer(Step step, int number, PolicyEvaluator evaluator, VirtualClock clock, AnswerWriter answers)
    {
        if (step.At is { } at)
        {
            clock.AdvanceTo(at);
        }

        switch (step.Kind)
        {
            case StepKind.Call when step.Error is null:
                answers.WriteDecision(evaluator.Evaluate(step.Call));
                break;
            case StepKind.Approve when step.Error is null:
                // The id the call would get now; an invalid call has none and so cannot be approved.
                answers.WriteApproved(evaluator.GetApprovalId(step.Call) is { } id && evaluator.Approve(id));
                break;
            case StepKind.Approve:
                answers.WriteApproved(false);
                break;
            case StepKind.Reload when step.Error is null:
                answers.WriteReloaded(Reload(evaluator, step, number));
                break;
            case StepKind.Reload:
                answers.WriteReloaded([new PolicyError("", number, 1, OnLine(number, step.Error))]);
                break;
            default:
                answers.WriteInvalidCall(OnLine(number, step.Error ?? ValidationMessages.StepUnreadable));
                break;
        }
    }

    private static IReadOnlyList<PolicyError> Reload(PolicyEvaluator evaluator, Step step, int number)
    {
        if (!Policy.TryParse(step.PolicyDocument.Span, out var policy, out var errors))
        {
            // Fail closed: a rejection must read as one, even if the validator gave no reason. The document is
            // all on line `number` of the calls file: positions are given there.
            return errors.Count > 0
                ? [.. errors.Select(e => new PolicyError(e.Pointer, number, step.PolicyColumnOffset + e.Column, e.Message))]
                : [new PolicyError("", number, 1, OnLine(number, ValidationMessages.DocumentRejected))];
        }

        evaluator.Reload(policy);
        return [];
    }

    // JSON white space: a line of nothing else holds no step.
    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static string OnLine(int number, string error) => ValidationMessages.OnLine(number, error);
}
