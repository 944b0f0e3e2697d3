namespace PolicyEngine.Tests.Cli;

/// <summary>The command line reads YAML policies (issue 21) and reports their errors as FILE:LINE:COL: POINTER: message.</summary>
[Collection(CliProcess.Collection)]
public sealed class CliYamlTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Validate_and_eval_read_a_yaml_policy()
    {
        var policy = _folder.Write("policy.yaml", "version: \"1\"\ndefault: deny\ntools:\n  t:\n    rate_limit: {max: 1, window: minute}\n");
        Assert.Equal(0, CliProcess.Run("validate", policy).ExitCode);

        var run = CliProcess.Run("eval", "--policy", policy, "--calls", _folder.Write("calls.jsonl", "{\"tool\": \"t\"}\n{\"tool\": \"t\", \"at\": 59}\n"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("\"code\":\"allowed\"", run.Lines[0], StringComparison.Ordinal);
        Assert.Contains("\"retry_after\":1", run.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_error_is_reported_at_its_line_and_column()
    {
        var policy = _folder.Write("bad.yaml", "version: \"1\"\ndefault: maybe\n");
        var run = CliProcess.Run("validate", policy);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(policy + ":2:10: /default: 'default' must be \"allow\" or \"deny\".", run.Stderr, StringComparison.Ordinal);
    }
}
