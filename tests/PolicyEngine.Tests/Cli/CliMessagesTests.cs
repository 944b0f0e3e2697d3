namespace PolicyEngine.Tests.Cli;

/// <summary>
/// What <c>policyengine</c> says to a person who got something wrong: JSON problems in the user's terms with a pointer
/// where there is one, the specific message for a bad <c>per</c>, errors in file order, a directory named as one,
/// <c>--version</c> and per-command <c>--help</c>.
/// </summary>
[Collection(CliProcess.Collection)]
public sealed class CliMessagesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("{\n  \"version\": \"1\",\n  \"default\": \"deny\",\n}\n", "3:20: /default: Trailing commas are not allowed: remove the ',' before '}'.")]
    [InlineData("{\"version\": \"1\", \"default\": \"deny\", \"hide\": [\"a\",]}", "1:49: /hide/0: Trailing commas are not allowed: remove the ',' before ']'.")]
    [InlineData("{\n  \"version\": \"1\", // the first version\n  \"default\": \"deny\"\n}\n", "2:19: /version: Comments are not allowed: a policy is strict JSON. Put notes in a \"description\" or remove them.")]
    [InlineData("{\"version\": \"1\", /* why */ \"default\": \"deny\"}", "1:18: /version: Comments are not allowed: a policy is strict JSON. Put notes in a \"description\" or remove them.")]
    [InlineData("<policy/>", "1:1: : The file is neither JSON nor YAML: a policy is a JSON object that starts with '{', or a YAML mapping such as 'version: \"1\"'.")]
    [InlineData("", "1:1: : The file is empty: a policy is a JSON object, such as {\"version\": \"1\", \"default\": \"deny\"}.")]
    [InlineData(" \n\t\n", "1:1: : The file is empty: a policy is a JSON object, such as {\"version\": \"1\", \"default\": \"deny\"}.")]
    [InlineData("{\"version\": \"1\", \"default\": yes}", "1:29: /default: A value cannot start with 'y': write a string in double quotes, a number, true, false, null, an object or an array.")]
    [InlineData("{\"version\": \"1\", \"default\": \"deny\"", "1:35: /default: The file ends before every object and array is closed: a '}' or ']' is missing.")]
    public void A_document_that_is_not_strict_JSON_is_explained_in_the_users_terms(string text, string expected)
    {
        var policy = _folder.Write("policy.json", text);

        var run = CliProcess.Run("validate", policy);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{policy}:{expected}\n", run.Stderr);
    }

    [Fact]
    public void A_per_that_is_not_a_scope_gets_the_message_that_names_every_scope()
    {
        var policy = _folder.Write("policy.json", """
            {
              "version": "1",
              "default": "deny",
              "tools": { "pay": { "limits": [ { "max": 3, "window": "1h", "per": "user" } ] } }
            }
            """);

        var run = CliProcess.Run("validate", policy);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"{policy}:4:70: /tools/pay/limits/0/per: 'per' is \"session\", \"global\", \"context.NAME\" or an args path such as \"args.account\", not 'user'. To count per user, pass the user in the call's context and write \"context.user\".\n",
            run.Stderr);
    }

    [Fact]
    public void Errors_are_listed_in_line_and_column_order()
    {
        // The missing "default" is found after the entries are checked, but it is reported at 1:1, so it comes first.
        var policy = _folder.Write("policy.json", """
            {
              "version": "1",
              "tools": { "a": { "action": "maybe" } },
              "hide": [ 3 ]
            }
            """);

        var run = CliProcess.Run("validate", policy);

        Assert.Equal(1, run.ExitCode);
        var positions = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[(policy.Length + 1)..].Split(':'))
            .Select(parts => (Line: int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Column: int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(3, positions.Count);
        Assert.Equal(positions.OrderBy(p => p.Line).ThenBy(p => p.Column), positions);
    }

    [Fact]
    public void A_directory_is_named_as_a_directory()
    {
        var run = CliProcess.Run("validate", _folder.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"policyengine: {_folder.Path}: is a directory, not a file\n", run.Stderr);
    }

    [Fact]
    public void Version_prints_the_package_version()
    {
        var run = CliProcess.Run("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^policyengine \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?( \(commit [0-9a-f]{1,7}\))?\n$", run.Stdout);
        Assert.Empty(run.Stderr);
    }

    [Theory]
    [InlineData("validate", "policyengine validate POLICY", "eval --policy")]
    [InlineData("pin", "policyengine pin DEFINITION.json", "validate POLICY")]
    [InlineData("eval", "policyengine eval --policy POLICY --calls FILE.jsonl", "validate POLICY")]
    public void A_commands_help_prints_that_commands_usage(string command, string usage, string other)
    {
        var run = CliProcess.Run(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("usage:\n  " + usage + "\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(other, run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }
}
