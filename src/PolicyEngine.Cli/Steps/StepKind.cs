namespace PolicyEngine.Cli.Steps;

/// <summary>What a line of an <c>eval</c> calls file asks for.</summary>
internal enum StepKind
{
    /// <summary>Not a readable step (not JSON, not an object, ambiguous): answered as an invalid call.</summary>
    Unreadable,

    /// <summary>A tool call: answered with a decision.</summary>
    Call,

    /// <summary><c>{"approve": {call fields}}</c>: answered with <c>{"approved": bool}</c>.</summary>
    Approve,

    /// <summary><c>{"reload": {policy}}</c>: answered with <c>{"reloaded": bool, "errors"?}</c>.</summary>
    Reload,
}
